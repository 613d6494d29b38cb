import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const federation = join(import.meta.dirname, "..", "..", "federation");

/** The modules each file of a federation folder names (static, type-only, re-exported and dynamic imports). */
function importsIn(folder: string): { file: string; spec: string }[] {
  return readdirSync(join(federation, folder))
    .filter((name) => /\.tsx?$/.test(name))
    .flatMap((name) => {
      const text = readFileSync(join(federation, folder, name), "utf8");
      const specs = [
        ...text.matchAll(/^\s*(?:import|export)\s[^"'`;]*?\sfrom\s*["']([^"']+)["']/gm),
        ...text.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g),
      ].map((m) => m[1]!);
      return specs.map((spec) => ({ file: `${folder}/${name}`, spec }));
    });
}

/**
 * What comes in (inbox/) and what goes out (outbox/) each go one way: they
 * share only vocab/, http/, the context and the services, never each other.
 */
describe("federation's directions", () => {
  for (const [folder, other] of [
    ["inbox", "outbox"],
    ["outbox", "inbox"],
  ] as const) {
    it(`${folder}/ imports nothing from ${other}/`, () => {
      const imports = importsIn(folder);
      expect(imports.length).toBeGreaterThan(0);
      const crossing = imports.filter(({ spec }) => new RegExp(`(^|/)${other}/`).test(spec));
      expect(crossing.map(({ file, spec }) => `${file} imports ${spec}`)).toEqual([]);
    });
  }
});
