import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/^\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
}

/** Dependencies point one way: domain ← storage ← services ← web and federation. */
describe("package boundaries", () => {
  const rules: [string, RegExp][] = [
    ["src/domain", /federation|\/web\/|\/services\/|\/storage\/|^hono|^@fedify|drizzle|better-sqlite3|^pg$/],
    ["src/storage", /federation|\/web\/|\/services\/|^hono|^@fedify/],
    ["src/services", /federation|\/web\/|\/sqlite\/|\/postgres\/|\/database\.ts|^hono|^@fedify|drizzle|better-sqlite3|^pg$/],
  ];
  for (const [dir, forbidden] of rules) {
    it(`${dir} imports nothing it must not`, () => {
      const offending = sourceFiles(dir).flatMap((file) =>
        imports(file).filter((spec) => forbidden.test(spec)).map((spec) => `${relative(root, join(root, file))} imports ${spec}`),
      );
      expect(offending).toEqual([]);
    });
  }

  it("federation does not reach into the web layer", () => {
    const offending = sourceFiles("federation").flatMap((file) =>
      imports(file).filter((spec) => /\/web\/|^hono/.test(spec)).map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
