/**
 * `npm start` end to end (scripts/start.ts, without the compile step the test run already did):
 * first start generates credentials and deploys; a restart after Ctrl-C, and after a kill of the
 * whole process group, finds every balance, operation and credential as it was. The chain is on a
 * port drawn anew at each start, without CORS, and reached by others only through the relay's /rpc.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { call, waitOperation, type Credentials } from "./helpers/httpClient";
import { freePort, killGroup, spawnTs, type Spawned } from "../../scripts/lib/processes";
import { DEMO_AGENCIES } from "../../scripts/lib/demoAgencies";
import { councilKeyFile, demoFiles, prepareDemoKeys } from "../../scripts/start";
import { open } from "../../server/auth/secretBox";
import type { KeystoreFile } from "../../server/keystore";
import { parseDeployment } from "../../sdk/src/deployment";

describe("npm start", function () {
  this.timeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), "relay-start-"));
  let env: Record<string, string>;
  let url: string;
  let running: Spawned | undefined;

  async function start(): Promise<{ ledger: string; output: string }> {
    running = spawnTs("scripts/start.ts", env);
    await running.waitFor(/Ctrl-C stops/);
    const ledger = running.output().match(/ledger (0x[0-9a-fA-F]{40})/)![1];
    return { ledger, output: running.output() };
  }

  const credentials = (): Credentials & { domainId: number } => JSON.parse(readFileSync(join(dataDir, "credentials", "volunteer.json"), "utf8"));
  const residentA = privateKeyToAccount(generatePrivateKey()).address;
  const residentB = privateKeyToAccount(generatePrivateKey()).address;

  async function balance(resident: string): Promise<string> {
    const res = await call(url, undefined, "GET", `/v1/residents/${resident}/balances`);
    return res.body.balances.find((b: { domainId: number }) => b.domainId === 1).balance;
  }

  /** The port npm start gave its chain, from the chain's command line (it is printed nowhere). */
  function chainPort(): number {
    const pid = Number(readFileSync(join(dataDir, "chain", "anvil.pid"), "utf8"));
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    expect(args).to.include("--no-cors");
    return Number(args[args.indexOf("--port") + 1]);
  }
  const chainPorts: number[] = [];

  before(async () => {
    const port = await freePort();
    env = { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn", PERIOD_SECONDS: "300" };
    delete process.env.ANVIL_PORT; // children inherit the environment: the chain's port is npm start's choice
    url = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    if (running && running.child.exitCode === null) {
      killGroup(running, "SIGINT"); // npm start stops its chain on the way out
      const timer = setTimeout(() => killGroup(running!, "SIGKILL"), 10_000);
      await running.exited;
      clearTimeout(timer);
    }
    // The chain runs in its own process group; if npm start could not stop it, nothing else will.
    const pid = Number(readFileSync(join(dataDir, "chain", "anvil.pid"), "utf8"));
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  });

  let firstLedger = "";
  let firstCredentials = "";
  let opA: { id: string; transaction: { hash: string } };
  let opB = "";

  it("starts a chain, deploys, writes 0600 credentials without printing secrets, and serves", async () => {
    const { ledger, output } = await start();
    firstLedger = ledger;
    const creds = credentials();
    firstCredentials = JSON.stringify(creds);
    expect(statSync(join(dataDir, "credentials", "volunteer.json")).mode & 0o777).to.equal(0o600);
    expect(statSync(join(dataDir, "relay", "master.key")).mode & 0o777).to.equal(0o600);
    expect(output).to.include(join(dataDir, "credentials"));
    expect(output).to.not.include(creds.secret);
    const res = await call(url, creds, "POST", "/v1/issuances", { resident: residentA, amount: "40", claimId: "1" });
    expect(res.status).to.equal(202);
    opA = await waitOperation(url, creds, res.body.operation.id);
    expect(opA).to.deep.include({ status: "confirmed" });
    expect(await balance(residentA)).to.equal("40");
  });

  it("gives each agency a council key of its own (0600, outside the keystore, not its relay key), and makes those the council", async () => {
    const files = demoFiles(dataDir);
    const master = Buffer.from(readFileSync(files.masterKeyFile, "utf8").trim(), "hex");
    const keystore = JSON.parse(readFileSync(files.keystoreFile, "utf8")) as KeystoreFile;
    const relayKeys = [keystore.relayer.privateKey, ...keystore.agencies.map((a) => a.privateKey)].map((sealed) => open(master, sealed).toLowerCase());
    const councilKeys = DEMO_AGENCIES.map((name) => {
      const file = councilKeyFile(files, name);
      expect(statSync(file).mode & 0o777, file).to.equal(0o600);
      return readFileSync(file, "utf8").trim().toLowerCase();
    });
    expect(new Set(councilKeys).size).to.equal(4);
    for (const key of councilKeys) expect(relayKeys).to.not.include(key);
    const raw = readFileSync(files.keystoreFile, "utf8").toLowerCase();
    for (const key of councilKeys) expect(raw).to.not.include(key.slice(2));

    const record = parseDeployment(JSON.parse(readFileSync(join(files.deploymentsDir, "31337.json"), "utf8")));
    const councilAddresses = councilKeys.map((k) => privateKeyToAccount(k as `0x${string}`).address);
    expect(record.councilMembers).to.deep.equal(councilAddresses);
    const signers = DEMO_AGENCIES.map((name) => JSON.parse(readFileSync(join(dataDir, "credentials", `${name}.json`), "utf8")).signer);
    for (const signer of signers) expect(councilAddresses).to.not.include(signer);
  });

  it("refuses a data directory from before the council keys were separate, saying what to do", async () => {
    const old = mkdtempSync(join(tmpdir(), "relay-start-old-"));
    try {
      const files = prepareDemoKeys(old, "http://127.0.0.1:1");
      rmSync(files.councilDir, { recursive: true });
      expect(() => prepareDemoKeys(old, "http://127.0.0.1:1")).to.throw(/was created by an older version, in which each agency's council vote was its relay key .*Move it away, or set DATA_DIR to a new folder/);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  it("runs the chain on a random port without CORS, prints no chain URL, and serves reads at /rpc only", async () => {
    const port = chainPort();
    chainPorts.push(port);
    expect(port).to.be.within(20_000, 60_999);
    expect(running!.output()).to.not.include(`:${port}`);
    expect(running!.output()).to.include(`${url}/rpc`);
    // A page's preflight gets no CORS answer from the chain.
    const preflight = await fetch(`http://127.0.0.1:${port}`, {
      method: "OPTIONS",
      headers: { Origin: "https://page.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).to.equal(null);
    // Through the relay: reads pass, anvil's own methods do not.
    const rpc = (method: string, params: unknown[] = []) =>
      fetch(`${url}/rpc`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) }).then(
        (r) => r.json() as Promise<{ result?: string; error?: { code: number } }>,
      );
    expect(Number((await rpc("eth_chainId")).result)).to.equal(31337);
    expect((await rpc("anvil_setBalance", [residentA, "0x1"])).error?.code).to.equal(-32601);
    expect((await rpc("eth_accounts")).error?.code).to.equal(-32601);
  });

  it("after Ctrl-C and a restart, keeps the deployment, credentials, balances and operations", async () => {
    killGroup(running!, "SIGINT");
    expect((await running!.exited).code).to.equal(0);
    const { ledger } = await start();
    expect(ledger).to.equal(firstLedger);
    chainPorts.push(chainPort());
    expect(chainPorts[1], "the chain's port is drawn again at each start").to.not.equal(chainPorts[0]);
    expect(JSON.stringify(credentials())).to.equal(firstCredentials);
    expect(await balance(residentA)).to.equal("40");
    const op = await call(url, credentials(), "GET", `/v1/operations/${opA.id}`);
    expect(op.body.operation).to.deep.include({ status: "confirmed" });
    expect(op.body.operation.transaction.hash).to.equal(opA.transaction.hash);
    const res = await call(url, credentials(), "POST", "/v1/issuances", { resident: residentB, amount: "9", claimId: "2" });
    opB = res.body.operation.id;
    expect((await waitOperation(url, credentials(), opB)).status).to.equal("confirmed");
  });

  it("after everything is killed (SIGKILL) and a restart, still has them", async () => {
    await new Promise((r) => setTimeout(r, 2_500)); // the chain writes its state every second
    killGroup(running!, "SIGKILL");
    await running!.exited;
    const { ledger } = await start();
    expect(ledger).to.equal(firstLedger);
    expect(await balance(residentA)).to.equal("40");
    expect(await balance(residentB)).to.equal("9");
    for (const id of [opA.id, opB]) {
      const op = await call(url, credentials(), "GET", `/v1/operations/${id}`);
      expect(op.body.operation.status).to.equal("confirmed");
    }
  });
});
