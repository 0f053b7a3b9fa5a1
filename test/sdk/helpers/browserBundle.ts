/**
 * Bundles one SDK entry as a web app's build would (Vite's build API in library mode, browser
 * resolution, viem and zod bundled in), and reports everything in it that exists only in Node:
 *  - built-in modules, with or without the `node:` prefix ("node:crypto", "crypto", "buffer",
 *    "fs/promises", ...): a resolve hook sees every import before Vite would quietly swap the
 *    module for an empty browser stub;
 *  - Node's globals (Buffer, process, ...): oxc's `inject` transform, which is scope-aware,
 *    adds an import only for a reference that is not declared in the module, so a local named
 *    `process` is not reported and a free `Buffer` is.
 */
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
// The repository resolves modules the node10 way, which ignores package exports and so cannot find
// Vite's types by its name: they are imported by path, the module itself by name.
import type * as ViteApi from "vite/dist/node/index";
import type { Plugin, Rolldown } from "vite/dist/node/index";
const { build, transformWithOxc } = require("vite") as typeof ViteApi;

export const REPO = join(__dirname, "..", "..", "..");
export const ENTRIES = join(REPO, "sdk", "src", "entries");

/** Globals Node defines and browsers do not. (`require`, `module` and `exports` are the bundler's to handle.) */
export const NODE_GLOBALS = ["Buffer", "process", "global", "__dirname", "__filename", "setImmediate", "clearImmediate"] as const;

const BUILTINS = new Set(builtinModules);
const GLOBAL_SENTINEL = "node-only-global:"; // never resolved: the injected code is only inspected

export interface NodeOnlyUse {
  /** The module specifier ("node:crypto") or the global ("Buffer"). */
  what: string;
  /** The file that uses it, relative to the repository ("sdk/src/auth.ts", "node_modules/..."). */
  where: string;
}

export interface BrowserBundle {
  /** The bundled entry as one ES module. */
  code: string;
  /** Every file in the bundle, relative to the repository. */
  files: string[];
  builtins: NodeOnlyUse[];
  globals: NodeOnlyUse[];
}

export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || BUILTINS.has(specifier);
}

/** A module id as a short path: "sdk/src/auth.ts", "node_modules/viem/_esm/index.js". */
function where(id: string): string {
  const path = id.split("?")[0];
  const dependency = path.lastIndexOf("/node_modules/");
  return dependency >= 0 ? path.slice(dependency + 1) : relative(REPO, path);
}

function nodeOnlyReporter(found: { builtins: NodeOnlyUse[]; globals: NodeOnlyUse[] }): Plugin[] {
  const inject = Object.fromEntries(NODE_GLOBALS.map((name) => [name, `${GLOBAL_SENTINEL}${name}`]));
  return [
    {
      name: "report-node-builtins",
      enforce: "pre",
      resolveId(source, importer) {
        if (!isNodeBuiltin(source)) return null;
        found.builtins.push({ what: source, where: importer ? where(importer) : "(entry)" });
        return { id: source, external: true }; // kept out, so the build goes on and reports every use
      },
    },
    {
      name: "report-node-globals",
      enforce: "post", // after Vite's TypeScript transform: every module is JavaScript here
      async transform(code, id) {
        if (id.startsWith("\0") || !/\.[cm]?[jt]s$/.test(id.split("?")[0])) return null;
        const injected = await transformWithOxc(code, id, { lang: "js", inject });
        for (const name of NODE_GLOBALS) {
          if (injected.code.includes(`"${GLOBAL_SENTINEL}${name}"`)) found.globals.push({ what: name, where: where(id) });
        }
        return null;
      },
    },
  ];
}

/** Bundles `entry` (a file path) for browsers and reports its Node-only uses. */
export async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  const found = { builtins: [] as NodeOnlyUse[], globals: [] as NodeOnlyUse[] };
  const result = await build({
    configFile: false,
    envFile: false,
    root: REPO,
    logLevel: "silent",
    plugins: nodeOnlyReporter(found),
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      lib: { entry, formats: ["es"], fileName: "bundle" },
      rolldownOptions: { output: { codeSplitting: false } }, // viem's lazy imports inlined: one file to check and serve
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((o) => o.output).filter((c): c is Rolldown.OutputChunk => c.type === "chunk");
  if (chunks.length !== 1) throw new Error(`expected one chunk for ${entry}, got ${chunks.map((c) => c.fileName).join(", ")}`);
  const files = chunks[0].moduleIds.map(where);
  // Every module loaded was inspected; what tree-shaking left out of the bundle does not count.
  const globals = found.globals.filter((use) => files.includes(use.where));
  return { code: chunks[0].code, files, builtins: found.builtins, globals };
}
