import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory holding package.json and migrations/, found by walking up
 * from this file: the same whether the code runs from its sources (src/) or
 * compiled (dist/src/). Files read at run time (migrations, the static
 * files, the version) are found from here.
 */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    // dist/ holds a copy of package.json (imported by the NodeInfo dispatcher), but no migrations.
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "migrations"))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json with a migrations directory above ${start}`);
  }
}
