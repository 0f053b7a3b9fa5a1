import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";

const SDK = join(__dirname, "..", "..", "sdk");

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
    expect([pkg.main, pkg.types]).to.deep.equal(["dist/index.js", "dist/index.d.ts"]);
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
