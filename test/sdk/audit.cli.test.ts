import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, ethers } from "ethers";
import { http } from "viem";
import { runAuditCli, EXIT } from "../../scripts/audit";
import { deployCityLedger } from "../../scripts/lib/deploy";
import type { AuditReport } from "../../sdk/src/auditor/report";
import { audit } from "../../sdk/src/auditor/audit";
import { createEventDecoder, type RawLog } from "../../sdk/src/auditor/decode";
import type { AuditEvent } from "../../sdk/src/auditor/events";
import { parseDeployment } from "../../sdk/src/deployment";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { startUnlockedAnvil, type UnlockedChain } from "../../scripts/lib/anvil";
import { DEMO_AGENCIES } from "../../scripts/lib/demoAgencies";
import { accountSlot } from "./helpers/storage";

const LOW_96 = (1n << 96n) - 1n;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runAuditCli(args, { out: (t) => (out += t), err: (t) => (err += t), progress: false });
  return { code, out, err };
}

describe("audit command against an anvil node", function () {
  let anvil: UnlockedChain;
  let dir: string;
  let deploymentFile: string;
  let ledger: Contract;
  const holders = Array.from({ length: 300 }, (_, i) => ethers.getAddress(ethers.toBeHex(0x5000 + i, 20)));

  before(async function () {
    anvil = await startUnlockedAnvil({ accounts: 12, args: ["--hardfork", "cancun"] });
    dir = mkdtempSync(join(tmpdir(), "audit-cli-"));
    deploymentFile = join(dir, "deployment.json");
    const accounts = await Promise.all(Array.from({ length: 8 }, (_, i) => anvil.signer(i).then((s) => s.getAddress())));
    const deployment = await deployCityLedger(
      await anvil.signer(0),
      {
        councilMembers: accounts.slice(1, 4),
        councilThreshold: 2,
        pauser: accounts[5],
        periodSeconds: 86_400,
        domains: DEMO_AGENCIES.map((name, i) => ({
          name,
          agency: accounts[i + 1],
          pointValue: 10,
          residentCap: 0n,
          transferable: false,
          issuers: [{ address: accounts[i + 1], quota: 10n ** 12n }],
        })),
      },
      deploymentFile,
    );
    ledger = new Contract(deployment.ledger, pointsLedgerAbi as never, anvil.provider);
    // Issuances spread over many blocks, with empty stretches, so the audit reads many pages.
    for (let batch = 0; batch < 6; batch++) {
      const items = holders.slice(batch * 50, batch * 50 + 50).map((resident, i) => ({ resident, amount: 10 + i, claimId: batch * 50 + i }));
      await anvil.transact(accounts[1], deployment.ledger, ledger.interface.encodeFunctionData("issueBatch", [1, items]));
      await anvil.provider.send("anvil_mine", ["0x" + (700).toString(16)]);
    }
  });

  after(async function () {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 on a clean ledger, prints a summary and writes the JSON report", async function () {
    const reportFile = join(dir, "report.json");
    const { code, out } = await run(["--rpc", anvil.url, "--deployment", deploymentFile, "--json", reportFile, "--max-block-range", "500"]);
    expect(out).to.contain("RESULT: no violations.");
    expect(code).to.equal(EXIT.ok);
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as AuditReport;
    expect(report.ok).to.equal(true);
    expect(report.events.byName.PointsIssued).to.equal(300);
    expect(report.events.pages).to.be.greaterThan(8); // 4,200 blocks at most 500 a page
    expect(report.domains[0].issued).to.equal(String(6 * (50 * 10 + (49 * 50) / 2)));
    expect(report.balanceReads).to.deep.equal({ accounts: 300, nonces: 0, method: "state-override" });
  });

  it("exits 1 and names I2 when a balance was changed under the contract (anvil_setStorageAt)", async function () {
    const resident = holders[123];
    const slot = accountSlot(1, resident);
    const address = await ledger.getAddress();
    const raw = BigInt(await anvil.provider.getStorage(address, slot));
    expect(raw & LOW_96).to.equal(await ledger.balanceOf(resident, 1));
    await anvil.provider.send("anvil_setStorageAt", [address, ethers.toBeHex(slot, 32), ethers.toBeHex(raw + 7n, 32)]);
    try {
      for (const method of ["state-override", "batched-calls"]) {
        const { code, out } = await run(["--rpc", anvil.url, "--deployment", deploymentFile, "--json", "-", "--read-method", method]);
        expect(code).to.equal(EXIT.violations);
        const report = JSON.parse(out) as AuditReport;
        expect(report.balanceReads.method).to.equal(method);
        const i2 = report.violations.filter((v) => v.invariant === "I2");
        expect(i2.map((v) => [v.details.resident, v.details.onChain, v.details.rebuilt])).to.deep.equal([
          [resident.toLowerCase(), String((raw & LOW_96) + 7n), String(raw & LOW_96)],
        ]);
        expect(report.violationCounts.I1).to.equal(1);
      }
    } finally {
      await anvil.provider.send("anvil_setStorageAt", [address, ethers.toBeHex(slot, 32), ethers.toBeHex(raw, 32)]);
    }
  });

  it("keeps every page under a byte limit by asking again in halves, and misses nothing", async function () {
    const deployment = JSON.parse(readFileSync(deploymentFile, "utf8"));
    // One batch block's 50 logs fit in 60 kB, two do not: every page can hold one batch at most.
    const report = await audit({ rpcUrl: anvil.url, deployment, maxResponseBytes: 60_000, targetLogsPerPage: 1_000 });
    expect([report.ok, report.events.byName.PointsIssued]).to.deep.equal([true, 300]);
    expect(report.events.pages).to.be.at.least(6);
    const single = await audit({ rpcUrl: anvil.url, deployment, maxResponseBytes: 10_000 }).catch((e: Error) => e);
    expect((single as Error).name).to.equal("RpcResponseTooLargeError"); // one block alone is over 10 kB
    // The same through a viem transport whose own response limit refuses large pages.
    const viaViem = await audit({ transport: http(anvil.url, { maxResponseBodySize: 60_000 }), deployment, targetLogsPerPage: 1_000 });
    expect([viaViem.ok, viaViem.events.byName.PointsIssued, viaViem.events.pages >= 6]).to.deep.equal([true, 300, true]);
  });

  it("checks each issuance's period against its block's time where the node gives it", async function () {
    const deployment = parseDeployment(JSON.parse(readFileSync(deploymentFile, "utf8")));
    const clean = await audit({ rpcUrl: anvil.url, deployment });
    expect(clean.events.periodsChecked).to.equal(300); // anvil's logs carry blockTimestamp
    const logs = (await anvil.provider.send("eth_getLogs", [{ address: [deployment.ledger, deployment.council], fromBlock: "0x0", toBlock: "latest" }])) as RawLog[];
    const decoder = createEventDecoder(deployment);
    const events = logs.map((l) => decoder.decode(l)!);
    const i = events.findIndex((e) => e.name === "PointsIssued");
    const issued = events[i] as Extract<AuditEvent, { name: "PointsIssued" }>;
    events[i] = { ...issued, args: { ...issued.args, period: issued.args.period + 1 } };
    const report = await audit({ rpcUrl: anvil.url, deployment, events });
    expect(report.violations.map((v) => [v.code, v.transactionHash, v.details.expected])).to.deep.equal([["PERIOD_MISMATCH", issued.transactionHash, 0]]);
  });

  describe("when it cannot run", function () {
    it("exits 2 on missing or bad arguments", async function () {
      expect((await run(["--deployment", deploymentFile])).code).to.equal(EXIT.usage);
      expect((await run(["--rpc", anvil.url, "--deployment", deploymentFile, "--to-block", "soon"])).code).to.equal(EXIT.usage);
      expect((await run(["--rpc", anvil.url, "--deployment", join(dir, "missing.json")])).code).to.equal(EXIT.usage);
      const head = await anvil.provider.getBlockNumber();
      const future = await run(["--rpc", anvil.url, "--deployment", deploymentFile, "--to-block", String(head + 100)]);
      const deployBlock = JSON.parse(readFileSync(deploymentFile, "utf8")).deployBlock;
      expect(future.code).to.equal(EXIT.usage);
      expect(future.err).to.match(new RegExp(`^error: Cannot audit blocks \\d+\\.\\.${head + 100}: the deployment starts at block ${deployBlock}, the chain is at ${head}\\.\n$`));
    });

    it("exits 2 on a deployment record that does not follow the format", async function () {
      const bad = join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(deploymentFile, "utf8")), ledger: "nowhere" }));
      const { code, err } = await run(["--rpc", anvil.url, "--deployment", bad]);
      expect(code).to.equal(EXIT.usage);
      expect(err).to.contain("ledger: must be a 0x-prefixed 20-byte hex address");
    });

    it("exits 3 when the node is unreachable or is another chain", async function () {
      const unreachable = await run(["--rpc", "http://127.0.0.1:9", "--deployment", deploymentFile]);
      expect(unreachable.code).to.equal(EXIT.chain);
      expect(unreachable.err).to.contain("Cannot reach the node at http://127.0.0.1:9");
      const other = join(dir, "other-chain.json");
      writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(deploymentFile, "utf8")), chainId: 5 }));
      const wrong = await run(["--rpc", anvil.url, "--deployment", other]);
      expect([wrong.code, wrong.err]).to.deep.equal([EXIT.chain, "error: The node is chain 31337, but the deployment record is for chain 5.\n"]);
    });
  });
});
