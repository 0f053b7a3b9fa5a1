import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import * as root from "../../sdk/src";
import * as resident from "../../sdk/src/entries/resident";
import * as auditor from "../../sdk/src/entries/auditor";
import * as agency from "../../sdk/src/entries/agency";
import * as wire from "../../sdk/src/entries/wire";

const SDK = join(__dirname, "..", "..", "sdk");
const ENTRIES = ["resident", "auditor", "agency", "wire"] as const;

/** The names a module exports at run time (types leave no trace there). */
const names = (module: object) => Object.keys(module).filter((name) => name !== "default").sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the SDK package", function () {
  it("depends on viem and zod only", function () {
    const pkg = JSON.parse(readFileSync(join(SDK, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies).sort()).to.deep.equal(["viem", "zod"]);
  });

  it("maps the root and each subpath to its ES module and CommonJS builds, each with declarations", function () {
    const pkg = JSON.parse(readFileSync(join(SDK, "package.json"), "utf8"));
    const build = (format: string, source: string) => ({ types: `./dist/${format}/${source}.d.ts`, default: `./dist/${format}/${source}.js` });
    const entry = (source: string) => ({ import: build("esm", source), require: build("cjs", source) });
    expect(pkg.exports).to.deep.equal({
      ".": entry("index"),
      ...Object.fromEntries(ENTRIES.map((name) => [`./${name}`, entry(`entries/${name}`)])),
      "./package.json": "./package.json",
    });
    for (const name of ENTRIES) expect(statSync(join(SDK, "src", "entries", `${name}.ts`)).isFile()).to.equal(true);
    // For TypeScript projects that resolve the node10 way and so never read `exports`.
    expect([pkg.main, pkg.types]).to.deep.equal(["./dist/cjs/index.js", "./dist/cjs/index.d.ts"]);
    expect(pkg.typesVersions).to.deep.equal({ "*": Object.fromEntries(ENTRIES.map((name) => [name, [`./dist/cjs/entries/${name}.d.ts`]])) });
  });

  it("exports from the root exactly what the resident, auditor and agency entries export together, and wire as a namespace", function () {
    const together = [...new Set([...names(resident), ...names(auditor), ...names(agency)])].sort();
    expect(names(root).filter((name) => name !== "wire")).to.deep.equal(together);
    expect(names(root.wire)).to.deep.equal(names(wire));
  });

  it("keeps the agency's request signing out of the resident and auditor entries", function () {
    for (const name of ["signRequest", "verifyWebhook", "createAgencyClient"]) {
      expect(names(agency)).to.include(name);
      expect(names(resident)).not.to.include(name);
      expect(names(auditor)).not.to.include(name);
    }
  });

  it("imports nothing but viem, zod, Node built-ins and its own files", function () {
    const allowed = new Set(["viem", "viem/actions", "viem/accounts", "zod", ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const offenders: string[] = [];
    for (const file of sourceFiles(join(SDK, "src"))) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\(\s*)["']([^"'\n]+)["']/g)) {
        const spec = match[1];
        const outside = spec.startsWith(".") && !join(file, "..", spec).startsWith(join(SDK, "src"));
        if ((!spec.startsWith(".") && !allowed.has(spec)) || outside) offenders.push(`${relative(SDK, file)}: ${spec}`);
      }
    }
    expect(offenders).to.deep.equal([]);
  });
});
