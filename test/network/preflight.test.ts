import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { runPreflight, type CheckResult } from "../../scripts/preflight/checks";
import { largestContract } from "../../scripts/preflight/artifacts";
import { CANCUN_CHAIN, CITY_CHAIN_TIMED, startAnvil, type LocalChain } from "../../scripts/lib/anvil";
import { runCli } from "./helpers/cli";

/** The table row of one check, e.g. "MCOPY (Cancun)  FAIL  ...". */
function row(stdout: string, check: string): string {
  const line = stdout.split("\n").find((l) => l.startsWith(check + " "));
  if (!line) throw new Error(`no row for ${check} in:\n${stdout}`);
  return line;
}

const byName = (results: CheckResult[], check: string) => results.find((r) => r.check === check)!;

/** A JSON-RPC endpoint that forwards to anvil but answers qbft_getValidatorsByBlockNumber itself, like a Besu QBFT node. */
async function qbftFront(upstream: string, validators: string[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", async () => {
      const call = JSON.parse(body) as { id: number; method: string };
      res.setHeader("content-type", "application/json");
      if (call.method === "qbft_getValidatorsByBlockNumber") {
        res.end(JSON.stringify({ jsonrpc: "2.0", id: call.id, result: validators }));
        return;
      }
      const forwarded = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body });
      res.end(await forwarded.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("preflight (npm run preflight) against anvil child processes", function () {
  let anvil: LocalChain | undefined;
  let dir: string;
  let keyFile: string;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "city-preflight-"));
    keyFile = join(dir, "deployer.key");
    writeFileSync(keyFile, Wallet.createRandom().privateKey, { mode: 0o600 });
  });
  afterEach(async function () {
    await anvil?.stop();
    anvil = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes a chain set up like the target, deploying and calling the PUSH0 and MCOPY probes", async function () {
    anvil = await startAnvil({ accounts: 1, args: CITY_CHAIN_TIMED });
    const result = await runCli("scripts/preflight.ts", ["--rpc", anvil.url, "--deployer-key-file", keyFile, "--chain-id", "31337"]);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    for (const check of ["reachable", "chain id", "block production", "zero-price transaction", "PUSH0 (Shanghai)", "MCOPY (Cancun)", "contract size limit"]) {
      expect(row(result.stdout, check)).to.match(/ PASS /);
    }
    expect(row(result.stdout, "MCOPY (Cancun)")).to.match(/probe deployed at 0x[0-9a-fA-F]{40} and called/);
    expect(row(result.stdout, "contract size limit")).to.include(`${largestContract().runtimeBytes}-byte`);
    expect(row(result.stdout, "QBFT validators")).to.match(/ SKIP .*does not answer qbft_getValidatorsByBlockNumber/);
    expect(result.stdout).to.match(/ready to deploy/);
  });

  it("passes P256VERIFY on an Osaka chain (npm start's), and measures the Solidity fallback beside it", async function () {
    anvil = await startAnvil({ accounts: 1, args: CITY_CHAIN_TIMED });
    const check = byName(await runPreflight({ url: anvil.url, blockTimeoutMs: 5_000, txTimeoutMs: 5_000 }), "P256VERIFY (Osaka)");
    expect(check.status, check.detail).to.equal("pass");
    expect(check.detail).to.match(/the precompile at 0x100 verifies passkey signatures \(6,900 gas; without it the Solidity fallback costs about [\d,]+ gas per signature\)/);
  });

  it("warns (without failing) on a Cancun chain, with what the fallback costs and how to get the precompile", async function () {
    anvil = await startAnvil({ accounts: 1, args: [...CANCUN_CHAIN, "--block-time", "1"] });
    const result = await runCli("scripts/preflight.ts", ["--rpc", anvil.url]);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const line = row(result.stdout, "P256VERIFY (Osaka)");
    expect(line).to.match(/ WARN +no P256VERIFY precompile at 0x100: passkey accounts still work, but the Solidity fallback costs about ([\d,]+) gas per signature; activate the Osaka milestone/);
    const gas = Number(/about ([\d,]+) gas/.exec(line)![1].replace(/,/g, ""));
    expect(gas).to.be.within(100_000, 1_000_000); // OpenZeppelin's Solidity P256: a few hundred thousand gas
    expect(result.stdout).to.match(/ready to deploy \(read the 1 warning\(s\) above\)/);
  });

  it("fails a chain without Cancun and says to set cancunTime", async function () {
    anvil = await startAnvil({ accounts: 1, args: ["--hardfork", "shanghai", "--base-fee", "0", "--gas-price", "0", "--block-time", "1"] });
    const result = await runCli("scripts/preflight.ts", ["--rpc", anvil.url, "--deployer-key-file", keyFile]);
    expect(result.code).to.equal(1);
    expect(row(result.stdout, "PUSH0 (Shanghai)")).to.match(/ PASS /);
    expect(row(result.stdout, "MCOPY (Cancun)")).to.match(/ FAIL .*set cancunTime \(e\.g\. 0\) in the genesis config/);
    expect(result.stdout).to.match(/1 check\(s\) failed/);
  });

  it("fails a pre-Shanghai chain with a small size limit, naming both genesis items, even without a deployer key", async function () {
    anvil = await startAnvil({ accounts: 1, args: ["--hardfork", "paris", "--base-fee", "0", "--gas-price", "0", "--block-time", "1", "--code-size-limit", "16000"] });
    const results = await runPreflight({ url: anvil.url, blockTimeoutMs: 5_000, txTimeoutMs: 5_000 });
    expect(byName(results, "zero-price transaction").status).to.equal("skip");
    expect(byName(results, "PUSH0 (Shanghai)")).to.include({ status: "fail" });
    expect(byName(results, "PUSH0 (Shanghai)").detail).to.match(/set shanghaiTime/);
    expect(byName(results, "contract size limit").status).to.equal("fail");
    expect(byName(results, "contract size limit").detail).to.match(new RegExp(`set contractSizeLimit to at least ${largestContract().runtimeBytes}`));
  });

  it("fails a chain that charges for gas, naming zeroBaseFee and min-gas-price", async function () {
    anvil = await startAnvil({ accounts: 1, args: ["--hardfork", "cancun", "--base-fee", "1000000000", "--block-time", "1"] });
    const results = await runPreflight({ url: anvil.url, deployer: new Wallet(Wallet.createRandom().privateKey), blockTimeoutMs: 5_000, txTimeoutMs: 5_000 });
    const zeroPrice = byName(results, "zero-price transaction");
    expect(zeroPrice.status).to.equal("fail");
    expect(zeroPrice.detail).to.match(/set zeroBaseFee: true in the genesis config and --min-gas-price=0 on every node/);
  });

  it("fails when the chain id is not the expected one, and when the chain produces no blocks", async function () {
    anvil = await startAnvil({ accounts: 1, args: ["--hardfork", "cancun", "--base-fee", "0", "--no-mining"] });
    const results = await runPreflight({ url: anvil.url, expectedChainId: 45817, blockTimeoutMs: 1_500, txTimeoutMs: 2_000 });
    expect(byName(results, "chain id")).to.deep.include({ status: "fail", detail: "31337, expected 45817: wrong endpoint, or a genesis with another chainId" });
    expect(byName(results, "block production").status).to.equal("fail");
    expect(byName(results, "block production").detail).to.match(/no new block .* in 1.5 s/);
  });

  it("fails an unreachable endpoint without trying anything else", async function () {
    const results = await runPreflight({ url: "http://127.0.0.1:9", blockTimeoutMs: 1_000, txTimeoutMs: 1_000 });
    expect(results).to.have.length(1);
    expect(results[0]).to.include({ check: "reachable", status: "fail" });
    expect(results[0].detail).to.match(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  describe("when the node answers qbft_getValidatorsByBlockNumber", function () {
    let front: Server | undefined;
    afterEach(async function () {
      await new Promise((r) => (front ? front.close(r) : r(undefined)));
      front = undefined;
    });

    for (const [count, status] of [
      [3, "fail"],
      [4, "pass"],
    ] as const) {
      it(`${status === "pass" ? "passes" : "fails"} with ${count} validators`, async function () {
        anvil = await startAnvil({ accounts: 1, args: CITY_CHAIN_TIMED });
        const validators = Array.from({ length: count }, () => Wallet.createRandom().address);
        const qbft = await qbftFront(anvil.url, validators);
        front = qbft.server;
        const results = await runPreflight({ url: qbft.url, blockTimeoutMs: 5_000, txTimeoutMs: 5_000 });
        const check = byName(results, "QBFT validators");
        expect(check.status).to.equal(status);
        expect(check.detail).to.match(status === "pass" ? /^4 validators$/ : /3 validator\(s\): QBFT needs at least 4/);
      });
    }
  });
});
