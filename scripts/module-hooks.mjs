/**
 * Module resolution hooks for the compiled server, registered when this file
 * is imported: scripts/start.mjs imports it before it loads dist/src/main.js
 * (`node --import ./scripts/module-hooks.mjs dist/src/main.js` does the same
 * without the build check).
 *
 * Node's own ES module loader reads the nearest package.json again for every
 * file it resolves and loads, and parses its "exports" each time. For most
 * packages that costs little; drizzle-orm's package.json is 180 kB, and the
 * server loads some two hundred of its files, so without these hooks start-up
 * spends over a second parsing it and the heap it grows to stays: about twice
 * the memory at rest. These hooks answer the common cases from a cache and
 * leave everything else to Node:
 *
 * - a relative import of a .js or .mjs file that exists, in a package whose
 *   "type" is "module", resolves to that file (after symbolic links) as a
 *   module, as Node would;
 * - a bare import (a package name) resolves, through Node, once per importing
 *   package, not once per importing file;
 * - a file already known to be a module is read and handed over as it is.
 *
 * Only ES module imports are touched: require() goes to Node unchanged.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { registerHooks } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Directory → the package scope it is in (the directory holding the nearest package.json, and its "type"), or null. */
const scopes = new Map();

function scopeOf(dir) {
  let scope = scopes.get(dir);
  if (scope !== undefined) return scope;
  let text = null;
  try {
    text = readFileSync(join(dir, "package.json"), "utf8");
  } catch {}
  if (text !== null) {
    try {
      scope = { dir, type: JSON.parse(text).type ?? "commonjs" };
    } catch {
      scope = null; // Node reports a broken package.json itself.
    }
  } else if (dirname(dir) === dir || dir.endsWith("/node_modules")) {
    scope = null;
  } else {
    scope = scopeOf(dirname(dir));
  }
  scopes.set(dir, scope);
  return scope;
}

const isImport = (context) => context.conditions?.includes("import") === true;
const isRelative = (specifier) => specifier.startsWith("./") || specifier.startsWith("../");
const isBare = (specifier) => !isRelative(specifier) && !specifier.startsWith("/") && !/^[a-z][a-z0-9+.-]*:/i.test(specifier);

/** "specifier, importing package, attributes" → what Node resolved. */
const resolved = new Map();

// Node before 22.15 has no registerHooks: its loader alone, as it is.
if (typeof registerHooks === "function") {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (!isImport(context) || !parent?.startsWith("file:")) return nextResolve(specifier, context);
      if (isRelative(specifier) && /\.m?js$/.test(specifier)) {
        let path = null;
        try {
          path = realpathSync.native(fileURLToPath(new URL(specifier, parent)));
          if (!statSync(path).isFile()) path = null;
        } catch {
          path = null;
        }
        if (path && (path.endsWith(".mjs") || scopeOf(dirname(path))?.type === "module")) {
          return { url: pathToFileURL(path).href, format: "module", shortCircuit: true };
        }
        return nextResolve(specifier, context);
      }
      if (isBare(specifier)) {
        const scope = scopeOf(dirname(fileURLToPath(parent)));
        if (!scope) return nextResolve(specifier, context);
        const key = `${specifier}\0${scope.dir}\0${context.conditions.join(",")}\0${JSON.stringify(context.importAttributes ?? {})}`;
        let result = resolved.get(key);
        if (!result) {
          result = nextResolve(specifier, context);
          resolved.set(key, result);
        }
        return { ...result, shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (url.startsWith("file:") && /\.m?js$/.test(url) && isImport(context)) {
        const path = fileURLToPath(url);
        if (path.endsWith(".mjs") || scopeOf(dirname(path))?.type === "module") {
          return { format: "module", source: readFileSync(path), shortCircuit: true };
        }
      }
      return nextLoad(url, context);
    },
  });
}
