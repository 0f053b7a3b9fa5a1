import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as sources from "../../sdk/src";
import * as residentSource from "../../sdk/src/entries/resident";
import * as auditorSource from "../../sdk/src/entries/auditor";
import * as agencySource from "../../sdk/src/entries/agency";
import * as wireSource from "../../sdk/src/entries/wire";

const run = promisify(execFile);
const REPO = join(__dirname, "..", "..");
const SDK = join(REPO, "sdk");
const SOURCES: Record<string, object> = {
  "@city-points/sdk": sources,
  "@city-points/sdk/resident": residentSource,
  "@city-points/sdk/auditor": auditorSource,
  "@city-points/sdk/agency": agencySource,
  "@city-points/sdk/wire": wireSource,
};
const SPECIFIERS = Object.keys(SOURCES);
const names = (module: object) => Object.keys(module).filter((name) => name !== "default").sort();

/**
 * What a consumer computes with whatever an entry exports. Run here on the sources and, as its own
 * source text, in the consumer project on each build: the results must be the same.
 */
function compute(m: Record<string, any>): Record<string, unknown> {
  const json = (v: unknown) => JSON.parse(JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x)));
  const out: Record<string, unknown> = {};
  if (m.buildExchangeIntent) {
    const input = { resident: "0x9a3dc1e5d1d4a1bf0a2f24b2d2f7e3c1b2a3c4d5", fromDomain: 1, toDomain: 2, amountIn: 100n, minAmountOut: 42n, nonce: 3n, deadline: 1_900_000_000n };
    out.intent = json(m.buildExchangeIntent(input));
    out.typeString = m.intentTypeString("ExchangeIntent");
  }
  if (m.signRequest) out.headers = m.signRequest({ keyId: "k", secret: "s" }, { method: "POST", host: "relay.test", path: "/v1/x", body: "{}", timestamp: 1, nonce: "n" });
  if (m.createEventDecoder) {
    const contracts = { ledger: "0x00000000000000000000000000000000000000AA", council: "0x00000000000000000000000000000000000000BB" };
    out.decoderAddresses = m.createEventDecoder(contracts).addresses;
  }
  const wire = m.exchangeRequestSchema ? m : m.wire;
  if (wire) out.wireIssues = wire.exchangeRequestSchema.safeParse({}).error.issues.map((i: { path: string[] }) => i.path.join("."));
  return out;
}

/** The packed package, installed in a fresh project beside viem and zod. */
async function installPacked(dir: string): Promise<string> {
  await run("npm", ["pack", "--pack-destination", dir], { cwd: SDK, maxBuffer: 16 * 1024 * 1024 });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  const project = join(dir, "consumer");
  const scope = join(project, "node_modules", "@city-points");
  mkdirSync(scope, { recursive: true });
  await run("tar", ["-xzf", join(dir, tarball), "-C", scope]);
  renameSync(join(scope, "package"), join(scope, "sdk"));
  for (const dependency of ["viem", "zod"]) {
    symlinkSync(realpathSync(join(REPO, "node_modules", dependency)), join(project, "node_modules", dependency));
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  return project;
}

/**
 * Run in the consumer project: loads every specifier with require() and with import(), and
 * reports where each resolved, what it exports and what it computes.
 */
const PROBE = `
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const compute = ${compute.toString()};
const names = (m) => Object.keys(m).filter((n) => n !== "default").sort();
const report = { entries: {} };
for (const spec of ${JSON.stringify(SPECIFIERS)}) {
  const cjs = require(spec);
  const esm = await import(spec);
  report.entries[spec] = {
    cjs: { file: require.resolve(spec), names: names(cjs), computed: compute(cjs) },
    esm: { file: import.meta.resolve(spec), names: names(esm), computed: compute(esm) },
  };
}
const classes = (m) => [m.CityPointsError, m.InvalidIntentError, m.RpcRequestError, m.RelayError];
const same = (a, b) => a.every((c, i) => typeof c === "function" && c === b[i]);
const esm = { root: await import("@city-points/sdk"), resident: await import("@city-points/sdk/resident"), auditor: await import("@city-points/sdk/auditor"), agency: await import("@city-points/sdk/agency") };
const cjs = { root: require("@city-points/sdk"), resident: require("@city-points/sdk/resident"), auditor: require("@city-points/sdk/auditor"), agency: require("@city-points/sdk/agency") };
report.sharedClasses = Object.fromEntries(Object.entries({ cjs, esm }).map(([format, m]) => [
  format, same(classes(m.resident), classes(m.auditor)) && same(classes(m.resident), classes(m.agency)) && same(classes(m.resident), classes(m.root)),
]));
try { require("@city-points/sdk/dist/cjs/auth.js"); report.deepImport = "loaded"; } catch (e) { report.deepImport = e.code; }
process.stdout.write(JSON.stringify(report));
`;

/** A consumer's TypeScript: every subpath's types are present and not `any`. */
const CONSUMER_TS = `
import { buildExchangeIntent, type ExchangeIntent } from "@city-points/sdk/resident";
import { createEventDecoder, type AuditReport } from "@city-points/sdk/auditor";
import { createAgencyClient, signRequest } from "@city-points/sdk/agency";
import { exchangeRequestSchema } from "@city-points/sdk/wire";
import { audit, wire } from "@city-points/sdk";

const intent: ExchangeIntent = buildExchangeIntent({ resident: "0x9a3dc1e5d1d4a1bf0a2f24b2d2f7e3c1b2a3c4d5", fromDomain: 1, toDomain: 2, amountIn: 1n, minAmountOut: 1n, nonce: 0n });
// @ts-expect-error amounts are bigint
const amount: number = intent.amountIn;
// @ts-expect-error a report's ok is a boolean
const ok: AuditReport["ok"] = "yes";
// @ts-expect-error the decoder needs the council's address too
createEventDecoder({ ledger: "0x00" });
// @ts-expect-error headers are strings
const keyId: number = signRequest({ keyId: "k", secret: "s" }, { method: "GET", host: "relay.test", path: "/", body: "" })["x-cp-key-id"];
const parsed: boolean = exchangeRequestSchema.safeParse({}).success && wire.exchangeRequestSchema === exchangeRequestSchema;
export { amount, ok, keyId, parsed, createAgencyClient, audit };
`;

const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
const TS_PROJECTS = {
  // Node's own resolution: .mts files are ES modules, .cts files CommonJS.
  node16: { compilerOptions: { module: "node16", moduleResolution: "node16" }, files: ["use.mts", "use.cts"] },
  // The older resolution, which ignores exports (typesVersions serves it).
  node10: { compilerOptions: { module: "commonjs", moduleResolution: "node10" }, files: ["use.ts"] },
};

describe("the packed SDK package, installed in another project", function () {
  this.timeout(600_000);
  let dir: string;
  let project: string;
  let report: { entries: Record<string, Record<"cjs" | "esm", { file: string; names: string[]; computed: unknown }>>; sharedClasses: unknown; deepImport: string };

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "sdk-packed-"));
    project = await installPacked(dir);
    writeFileSync(join(project, "probe.mjs"), PROBE);
    const { stdout } = await run(process.execPath, ["probe.mjs"], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    report = JSON.parse(stdout);
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds the two builds and their declarations, and no TypeScript sources", function () {
    const root = join(project, "node_modules", "@city-points", "sdk");
    const files = (readdirSync(root, { recursive: true }) as string[]).map((f) => f.replace(/\\/g, "/"));
    for (const format of ["esm", "cjs"]) {
      for (const entry of ["index", "entries/resident", "entries/auditor", "entries/agency", "entries/wire"]) {
        expect(files).to.include.members([`dist/${format}/${entry}.js`, `dist/${format}/${entry}.d.ts`]);
      }
    }
    expect(JSON.parse(readFileSync(join(root, "dist", "esm", "package.json"), "utf8"))).to.deep.equal({ type: "module" });
    expect(JSON.parse(readFileSync(join(root, "dist", "cjs", "package.json"), "utf8"))).to.deep.equal({ type: "commonjs" });
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
  });

  for (const spec of SPECIFIERS) {
    it(`${spec}: require() loads the CommonJS build and import the ES module build, both exporting what the source does`, function () {
      const { cjs, esm } = report.entries[spec];
      const entry = spec === "@city-points/sdk" ? "index" : `entries/${spec.split("/")[2]}`;
      expect(cjs.file).to.equal(join(project, "node_modules", "@city-points", "sdk", "dist", "cjs", `${entry}.js`));
      expect(esm.file).to.equal(`file://${join(project, "node_modules", "@city-points", "sdk", "dist", "esm", `${entry}.js`)}`);
      expect(cjs.names).to.deep.equal(names(SOURCES[spec]));
      expect(esm.names).to.deep.equal(names(SOURCES[spec]));
    });
  }

  it("computes what the sources compute, from either build", function () {
    for (const spec of SPECIFIERS) {
      const expected = compute(SOURCES[spec]);
      expect(Object.keys(expected).length, spec).to.be.greaterThan(0);
      expect(report.entries[spec].cjs.computed, `${spec} (CommonJS)`).to.deep.equal(expected);
      expect(report.entries[spec].esm.computed, `${spec} (ES module)`).to.deep.equal(expected);
    }
  });

  it("shares one copy of each class between the entries of a build, so instanceof holds across them", function () {
    expect(report.sharedClasses).to.deep.equal({ cjs: true, esm: true });
  });

  it("refuses a path that its exports map does not name", function () {
    expect(report.deepImport).to.equal("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("gives TypeScript the declarations of every subpath, for ES modules and CommonJS, node16 and node10 resolution", async function () {
    for (const file of ["use.mts", "use.cts", "use.ts"]) writeFileSync(join(project, file), CONSUMER_TS);
    const checks = Object.entries(TS_PROJECTS).map(async ([name, config]) => {
      const tsconfig = `tsconfig.${name}.json`;
      const compilerOptions = { ...config.compilerOptions, target: "es2022", strict: true, noEmit: true, types: [], skipLibCheck: true };
      writeFileSync(join(project, tsconfig), JSON.stringify({ compilerOptions, files: config.files }));
      const result = await run(process.execPath, [TSC, "-p", tsconfig], { cwd: project }).catch((e: { stdout: string; code: number }) => e);
      return { name, code: "code" in result ? result.code : 0, output: result.stdout };
    });
    expect(await Promise.all(checks)).to.deep.equal(Object.keys(TS_PROJECTS).map((name) => ({ name, code: 0, output: "" })));
  });
});
