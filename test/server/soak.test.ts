/**
 * A soak through `npm start`'s relay, as an agency uses it: single issuances at a steady rate, each
 * with its own claim id and resident, for a bounded time. Every accepted request must end
 * `confirmed` (never `failed`), carried by the transaction that emitted its `PointsIssued`, and the
 * chain must hold exactly one `PointsIssued` per accepted request.
 *
 * SOAK_ISSUANCES (10,000) and SOAK_RATE (250 per second) change the load; it stops by itself. At this
 * rate, before the relay waited for evidence that a transaction was replaced, about one operation in
 * 200 ended `failed` with PointsLedgerClaimUsed although its own transaction had issued it.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { claimIdForRecordRef, createAgencyClient, createEventDecoder, fetchLogPages, createHttpRpc, type OperationEvent } from "../../sdk/src";
import { freePort, killGroup, spawnTs, type Spawned } from "../../scripts/lib/processes";

const ISSUANCES = Number(process.env.SOAK_ISSUANCES ?? 10_000);
const RATE = Number(process.env.SOAK_RATE ?? 250);

describe("soak: steady single issuances through npm start's relay", function () {
  this.timeout(Math.max(300_000, (ISSUANCES / RATE) * 1_000 * 3 + 120_000));
  const dataDir = mkdtempSync(join(tmpdir(), "relay-soak-"));
  let running: Spawned | undefined;
  let anvilUrl = "";

  after(async () => {
    if (running && running.child.exitCode === null) {
      killGroup(running, "SIGINT");
      const timer = setTimeout(() => killGroup(running!, "SIGKILL"), 10_000);
      await running.exited;
      clearTimeout(timer);
    }
    try {
      process.kill(-Number(readFileSync(join(dataDir, "chain", "anvil.pid"), "utf8")), "SIGKILL");
    } catch {
      // already stopped by npm start
    }
  });

  it(`ends every one of ${ISSUANCES} accepted issuances confirmed by its own transaction, each claim once on chain`, async () => {
    const port = await freePort();
    const anvilPort = await freePort();
    anvilUrl = `http://127.0.0.1:${anvilPort}`;
    running = spawnTs("scripts/start.ts", { DATA_DIR: dataDir, PORT: String(port), ANVIL_PORT: String(anvilPort), LOG_LEVEL: "warn" });
    await running.waitFor(/Ctrl-C stops/, 120_000);
    const ledger = running.output().match(/ledger (0x[0-9a-fA-F]{40})/)![1] as Address;
    const credentials = JSON.parse(readFileSync(join(dataDir, "credentials", "volunteer.json"), "utf8"));
    const client = createAgencyClient({ url: credentials.relayUrl, keyId: credentials.keyId, secret: credentials.secret });

    const final = new Map<string, OperationEvent>();
    const watch = client.watchEvents({
      onEvent: (event) => {
        if (event.type !== "operation.submitted") final.set(event.operation.id, event);
      },
    });

    // Steady load: RATE requests a second, sent on a 20 ms tick, each awaited independently.
    const salt = keccak256(toHex(`soak-${Date.now()}`));
    const accepted: { id: string; claimId: bigint; resident: Address }[] = [];
    const refused: string[] = [];
    const inFlight = new Set<Promise<void>>();
    const startedAt = Date.now();
    for (let i = 0; i < ISSUANCES; ) {
      const due = Math.min(ISSUANCES, Math.floor(((Date.now() - startedAt) / 1_000) * RATE) + 1);
      for (; i < due; i += 1) {
        const claimId = claimIdForRecordRef(salt, `soak-${i}`);
        const resident = privateKeyToAccount(generatePrivateKey()).address;
        const p: Promise<void> = client
          .issuePoints({ resident, amount: BigInt(1 + (i % 97)), claimId })
          .then((op) => void accepted.push({ id: op.id, claimId, resident }))
          .catch((error: Error) => void refused.push(`${error.name}: ${error.message}`))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(inFlight);
    const sentIn = (Date.now() - startedAt) / 1000;
    expect(refused, "every request accepted").to.deep.equal([]);
    expect(accepted).to.have.length(ISSUANCES);

    const deadline = Date.now() + 180_000;
    while (final.size < accepted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    watch.close();
    const metrics = await (await fetch(`${credentials.relayUrl}/metrics`)).text();
    const lateReceipts = [...metrics.matchAll(/^relay_receipts_missing_total\{owner="(\w+)"\} (\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    console.log(
      `      ${accepted.length} accepted in ${sentIn.toFixed(0)} s, all final after ${((Date.now() - startedAt) / 1000).toFixed(0)} s;` +
        ` nonce used before its receipt was readable: ${lateReceipts.join(", ") || "never"}`,
    );
    const failed = [...final.values()].filter((e) => e.type === "operation.failed");
    expect(failed.map((e) => `${e.operation.id} ${JSON.stringify(e.operation.error)}`), "no operation failed").to.deep.equal([]);
    expect(final.size, "every operation final").to.equal(accepted.length);

    // What the chain shows: one PointsIssued per accepted request, in the transaction the relay reported.
    const rpc = createHttpRpc(anvilUrl);
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployments", "31337.json"), "utf8"));
    const decoder = createEventDecoder({ ledger, council: deployment.council });
    const issuedBy = new Map<string, Hex[]>();
    const latest = Number(BigInt(await rpc.request<Hex>("eth_blockNumber", [])));
    for await (const page of fetchLogPages(rpc, { addresses: [ledger], fromBlock: 0, toBlock: latest })) {
      for (const log of page.logs) {
        const event = decoder.decode(log);
        if (event?.name !== "PointsIssued") continue;
        const key = event.args.claimId.toString();
        issuedBy.set(key, [...(issuedBy.get(key) ?? []), log.transactionHash.toLowerCase() as Hex]);
      }
    }
    expect(issuedBy.size, "PointsIssued events").to.equal(accepted.length);
    const mismatched: string[] = [];
    for (const { id, claimId } of accepted) {
      const hashes = issuedBy.get(claimId.toString()) ?? [];
      const reported = final.get(id)!.operation.transaction?.hash.toLowerCase();
      if (hashes.length !== 1 || hashes[0] !== reported) mismatched.push(`${id}: chain ${hashes.join(",") || "none"}, relay ${reported}`);
    }
    expect(mismatched, "each operation's transaction is the one that issued its claim").to.deep.equal([]);
  });
});
