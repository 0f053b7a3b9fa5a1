import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleForBrowser, ENTRIES, type BrowserBundle } from "./helpers/browserBundle";

/** Each browser entry, with a file it must have pulled in (so an empty bundle cannot pass). */
const BROWSER_ENTRIES = {
  resident: "sdk/src/resident/sign.ts",
  auditor: "sdk/src/auditor/decode.ts",
  wire: "sdk/src/wire/intents.ts",
} as const;

describe("the SDK's browser entries, bundled for a browser", function () {
  this.timeout(300_000);
  const bundles: Partial<Record<keyof typeof BROWSER_ENTRIES | "agency", BrowserBundle>> = {};

  before(async function () {
    for (const name of [...Object.keys(BROWSER_ENTRIES), "agency"] as (keyof typeof bundles)[]) {
      bundles[name] = await bundleForBrowser(join(ENTRIES, `${name}.ts`));
    }
  });

  for (const [name, reached] of Object.entries(BROWSER_ENTRIES) as [keyof typeof BROWSER_ENTRIES, string][]) {
    describe(`@city-points/sdk/${name}`, function () {
      it("bundles its part of the SDK with viem and zod", function () {
        const files = bundles[name]!.files;
        expect(files).to.include(reached);
        expect(files.some((f) => f.startsWith("node_modules/viem/"))).to.equal(true);
        expect(files.some((f) => f.startsWith("node_modules/zod/"))).to.equal(true);
      });

      it("imports no Node built-in module, from its own files or its dependencies", function () {
        expect(bundles[name]!.builtins).to.deep.equal([]);
      });

      it("references no Node global (Buffer, process, ...)", function () {
        expect(bundles[name]!.globals).to.deep.equal([]);
      });
    });
  }

  it("reports the agency entry, which is for Node: node:crypto and Buffer in auth.ts", function () {
    const agency = bundles.agency!;
    expect(agency.builtins).to.deep.include({ what: "node:crypto", where: "sdk/src/auth.ts" });
    expect(agency.builtins).to.deep.include({ what: "node:crypto", where: "sdk/src/agency/transport.ts" });
    expect(agency.globals).to.deep.include({ what: "Buffer", where: "sdk/src/auth.ts" });
  });

  it("reports bare and node: built-ins and free globals, and not a local that shadows a global", async function () {
    const dir = mkdtempSync(join(tmpdir(), "browser-bundle-"));
    try {
      const entry = join(dir, "entry.ts");
      writeFileSync(
        entry,
        [
          'import { createHash } from "crypto";',
          'import { readFileSync } from "node:fs";',
          'import * as path from "path";',
          "export const digest = (file: string) => createHash(\"sha256\").update(readFileSync(path.join(file))).digest();",
          'export const bytes = (text: string) => Buffer.from(text, "utf8");',
          "export function shadowed(process: { env: object }, setImmediate: () => void) { setImmediate(); return process.env; }",
        ].join("\n"),
      );
      const bundle = await bundleForBrowser(entry);
      expect(bundle.builtins.map((b) => b.what).sort()).to.deep.equal(["crypto", "node:fs", "path"]);
      expect(bundle.globals.map((g) => g.what)).to.deep.equal(["Buffer"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
