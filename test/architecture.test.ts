import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

/** Every TypeScript source file below a folder of the project (.ts and .tsx). */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

/**
 * Every module a source text names: static imports and re-exports (type-only
 * too), side-effect imports, and dynamic `import()` with a string literal.
 */
function importsOf(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^"'`;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!));
}

const DATABASE_DRIVERS = /drizzle|better-sqlite3|^pg$/;
/** The federation folder (a module merely named for federation, such as a service's, is not it). */
const FEDERATION = /(^|\/)federation\//;

/**
 * Dependencies point one way: domain ← storage ← services ← web, CLI and
 * federation. Each folder's rule names what it must not import.
 */
const RULES: { dir: string; forbidden: RegExp[] }[] = [
  { dir: "src/domain", forbidden: [FEDERATION, /\/(web|cli|services|storage)\//, /^hono/, /^@fedify/, DATABASE_DRIVERS] },
  { dir: "src/storage", forbidden: [FEDERATION, /\/(web|cli|services)\//, /^hono/, /^@fedify/] },
  {
    dir: "src/services",
    forbidden: [FEDERATION, /\/(web|cli|mail)\//, /\/(sqlite|postgres)\//, /\/database\.ts/, /^hono/, /^@fedify/, DATABASE_DRIVERS],
  },
  { dir: "src/web", forbidden: [/\/(storage|cli|mail)\//, DATABASE_DRIVERS] },
  // The CLI opens the database (storage/database.ts) and goes through the services for the rest; backup and restore
  // (storage/backup/index.ts) copy the database and media as files and dumps, below what the services can see.
  { dir: "src/cli", forbidden: [FEDERATION, /\/web\//, /\/storage\/(?!database\.ts|backup\/index\.ts)/, /^hono/, DATABASE_DRIVERS] },
  // Observability reads the queue table and the database's pool for its figures, and knows nothing of the rest.
  {
    dir: "src/observability",
    forbidden: [FEDERATION, /\/(web|cli|services)\//, /^hono/, /^@fedify/, /\/storage\/(?!(database|queue-table)\.ts$)/, DATABASE_DRIVERS],
  },
  // Sending email knows its settings and nothing of the rest: services reach it through their Mailer port.
  {
    dir: "src/mail",
    forbidden: [FEDERATION, /\/(web|cli|services|storage|observability)\//, /^hono/, /^@fedify/, DATABASE_DRIVERS],
  },
  // Federation goes through the services; only Fedify's queue and key-value store sit on storage's tables for them.
  {
    dir: "federation",
    forbidden: [/\/(web|cli)\//, /^hono/, /\/storage\/(?!(database|queue-table|kv-table)\.ts$)/, DATABASE_DRIVERS],
  },
];

describe("package boundaries", () => {
  it("finds every kind of import, in .ts and .tsx files", () => {
    const text = [
      'import { a } from "./a.ts";',
      'import type { B } from "./b.ts";',
      'export { c } from "./c.ts";',
      'import "./d.ts";',
      'const e = await import("./e.ts");',
      "import {\n  f,\n  g,\n} from './fg.ts';",
    ].join("\n");
    expect(importsOf(text).sort()).toEqual(["./a.ts", "./b.ts", "./c.ts", "./d.ts", "./e.ts", "./fg.ts"]);
    expect(sourceFiles("src/web").some((file) => file.endsWith(".tsx"))).toBe(true);
  });

  for (const { dir, forbidden } of RULES) {
    it(`${dir} imports nothing it must not`, () => {
      const files = sourceFiles(dir);
      expect(files.length).toBeGreaterThan(0);
      const offending = files.flatMap((file) =>
        importsOf(readFileSync(join(root, file), "utf8"))
          .filter((spec) => forbidden.some((rule) => rule.test(spec)))
          .map((spec) => `${file} imports ${spec}`),
      );
      expect(offending).toEqual([]);
    });
  }
});
