/**
 * Phase (f): two relay instances of the agency on one PostgreSQL journal (a throwaway server,
 * scripts/lib/postgres.ts), as behind a load balancer: requests alternate between them, one holds
 * the signer's lease and sends. Measured: issues/s until every issuance is confirmed, then the
 * failover gap: the sender SIGKILLed under load, seconds until the other instance journals its
 * first transaction under the new lease.
 */
import { Client } from "pg";
import { startPostgres } from "../../lib/postgres";
import { countIssued, blockNumber, type BenchChain } from "./chain";
import { drive, post, type Credentials } from "./client";
import { RELAY_DOMAIN } from "./relayPhases";
import { finished, startRelay, type RelayProcess } from "./relayProcess";
import { issuanceItems } from "./workload";

export interface PostgresPairResult {
  issuesPerSec: number;
  seconds: number;
  failoverGapSeconds: number;
  issuedAcrossFailover: number;
}

async function sumFinished(relays: RelayProcess[]): Promise<number> {
  const all = await Promise.all(relays.map((r) => finished(r.url).catch(() => ({ confirmed: 0, failed: 0 }))));
  return all.reduce((n, f) => n + f.confirmed + f.failed, 0);
}

export async function postgresPair(bench: BenchChain, entry: string, creds: Credentials & { signer: string }, firstRecord: number, count: number, concurrency: number): Promise<PostgresPairResult> {
  const pg = await startPostgres();
  const db = new Client({ connectionString: pg.url });
  const relays: RelayProcess[] = [];
  try {
    for (let i = 0; i < 2; i++) relays.push(await startRelay(entry, bench, { JOURNAL_URL: pg.url }, count * 4));
    await db.connect();
    const lease = `signer:${creds.signer.toLowerCase()}`;
    const holderOf = async () => (await db.query<{ holder: string; token: string }>("SELECT holder, token FROM leases WHERE name = $1", [lease])).rows[0];

    // Issues/s with both instances accepting.
    const items = issuanceItems(firstRecord, count);
    const fromBlock = (await blockNumber(bench.chain.url)) + 1n;
    const started = performance.now();
    await drive(count, concurrency, async (i) => {
      const res = await post(relays[i % 2].url, creds, "/v1/issuances", items[i]);
      if (res.status !== 202) throw new Error(`two instances: refused ${res.status} ${JSON.stringify(res.body)}`);
    });
    while ((await sumFinished(relays)) < count) {
      if (performance.now() - started > 600_000) throw new Error("two instances: not finished within 10 minutes");
      await new Promise((r) => setTimeout(r, 25));
    }
    const seconds = (performance.now() - started) / 1000;
    const mined = await countIssued(bench.chain.url, bench.deployment.ledger, RELAY_DOMAIN, fromBlock);
    if (mined !== count) throw new Error(`two instances: ${mined} of ${count} issuances on chain`);

    // Failover: load on both; the lease holder is SIGKILLed; requests it leaves unanswered are sent
    // again, with the same Idempotency-Key, to the survivor.
    const before = await holderOf();
    const sender = relays.find((r) => before.holder.includes(`:${r.pid}:`))!;
    const survivor = relays.find((r) => r !== sender)!;
    const failoverFrom = (await blockNumber(bench.chain.url)) + 1n;
    const accepted = new Set<string>();
    let next = 0;
    let loading = true;
    let killed = false;
    const load = Promise.all(
      Array.from({ length: concurrency }, async (_, client) => {
        while (loading) {
          const [item] = issuanceItems(firstRecord + count + next++, 1);
          const key = `failover-${item.claimId}`;
          for (let attempt = 0; ; attempt++) {
            const target = killed ? survivor : relays[(client + attempt) % 2];
            const res = await post(target.url, creds, "/v1/issuances", item, key).catch(() => undefined);
            if (res?.status === 202) {
              accepted.add(item.claimId);
              break;
            }
            if (attempt > 50) throw new Error(`failover load: ${item.claimId} never accepted (last: ${res?.status} ${JSON.stringify(res?.body)})`);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    const killedAt = performance.now();
    killed = true;
    await sender.stop("SIGKILL");
    let gap: number | undefined;
    while (gap === undefined) {
      const now = await holderOf();
      if (now.token !== before.token) {
        const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM transactions WHERE signer = $1 AND lease_token = $2", [creds.signer, now.token]);
        if (rows[0].n > 0) gap = (performance.now() - killedAt) / 1000;
      }
      if (performance.now() - killedAt > 60_000) throw new Error("failover: no transaction under a new lease within 60 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 2_000));
    loading = false;
    await load;
    // Every accepted issuance ends on chain exactly once.
    const deadline = performance.now() + 300_000;
    let onChain = 0;
    for (;;) {
      onChain = await countIssued(bench.chain.url, bench.deployment.ledger, RELAY_DOMAIN, failoverFrom);
      if (onChain >= accepted.size || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (onChain !== accepted.size) throw new Error(`failover: ${accepted.size} accepted, ${onChain} on chain`);
    return { issuesPerSec: count / seconds, seconds, failoverGapSeconds: gap, issuedAcrossFailover: accepted.size };
  } finally {
    await db.end().catch(() => undefined);
    for (const relay of relays) await relay.stop("SIGKILL");
    await pg.stop();
  }
}
