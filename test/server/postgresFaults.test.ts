/**
 * Faults of the PostgreSQL journal shared by two instances of one agency's relay, under load,
 * against one anvil chain:
 * - the PostgreSQL server killed (pg_ctl stop -m immediate: its WAL recovered at the next start)
 *   and started again: both instances recover, nothing accepted is lost or doubled;
 * - the sending instance partitioned from PostgreSQL (a TCP proxy between them, cut) while it still
 *   reaches the chain: it stops sending before the other takes the lease, sends nothing after,
 *   and stays a follower once the partition heals;
 * - the sending instance paused (SIGSTOP) for longer than the lease, then resumed: the other took
 *   over; the resumed one finds its holding fenced, records nothing, and anything it still sends
 *   is the journal's own bytes (never a nonce re-used with other bytes).
 * Each time: every accepted issuance on chain exactly once, every transaction mined for the signer
 * the journal's one at its nonce.
 */
import { expect } from "chai";
import { keccak256, type Hex } from "viem";
import { killGroup } from "./helpers/processes";
import {
  expectIssuedOnce,
  expectNoncesConsistent,
  expectPasswordNeverShown,
  Load,
  recordingRpc,
  signerLease,
  startCluster,
  tcpProxy,
  type Cluster,
  type Instance,
} from "./helpers/pgCluster";

const LEASE_TTL_MS = 4_000;

describe("relay on PostgreSQL: the database restarted, an instance partitioned or paused", function () {
  this.timeout(170_000);
  let cluster: Cluster;
  let lease: string;
  let claimBase = 0n;

  before(async function () {
    cluster = await startCluster("pg-faults");
    lease = signerLease(cluster.volunteer.signer);
  });

  // Each case starts its own two instances: those of an earlier case are stopped (their leases released).
  beforeEach(async function () {
    if (cluster) await stopAll(cluster.instances);
  });

  after(async function () {
    await cluster?.stop();
  });

  async function stopAll(instances: Instance[]): Promise<void> {
    for (const i of instances) {
      if (!i.alive()) continue;
      killGroup(i.process, "SIGCONT");
      killGroup(i.process, "SIGTERM");
      await i.process.exited;
    }
  }

  async function settleAndCheck(load: Load, target: Instance, fromBlock: bigint): Promise<number[]> {
    const finals = await load.settle(target);
    expect(finals.filter((f) => f.status !== "confirmed"), "operations not confirmed").to.deep.equal([]);
    await expectIssuedOnce(cluster, load.items, fromBlock);
    return expectNoncesConsistent(cluster, cluster.volunteer.signer, fromBlock);
  }

  it("recovers from the PostgreSQL server killed and restarted under load: nothing lost, nothing doubled", async function () {
    const env = { LEASE_TTL_MS: String(LEASE_TTL_MS) };
    const a = await cluster.startInstance("a", { env });
    await cluster.waitForHolder(lease, a);
    const b = await cluster.startInstance("b", { env });
    const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
    const load = new Load(() => [a, b], cluster.volunteer, (claimBase += 1_000_000n));
    load.start(6, 20);
    await new Promise((r) => setTimeout(r, 3_000));
    const acceptedBefore = load.accepted;
    cluster.pg.stopServer("immediate");
    await new Promise((r) => setTimeout(r, 1_500));
    // /ready tells a load balancer the journal is gone, without showing its password.
    const ready = await fetch(`${a.url}/ready`);
    const readyBody = await ready.text();
    expect(ready.status, readyBody).to.equal(503);
    expect(JSON.parse(readyBody).checks.journal.ok).to.equal(false);
    expect(readyBody).to.not.include(cluster.pg.password);
    await new Promise((r) => setTimeout(r, 1_500));
    cluster.pg.startServer();
    const restartedAt = Date.now();
    // Both instances accept again once the database is back.
    const acceptedAtRestart = load.accepted;
    while (load.accepted < acceptedAtRestart + 20 && Date.now() - restartedAt < 30_000) await new Promise((r) => setTimeout(r, 100));
    const recoveredMs = Date.now() - restartedAt;
    await new Promise((r) => setTimeout(r, 2_000));
    await load.stop();
    process.stdout.write(
      `      PostgreSQL down 3 s: accepting again ${(recoveredMs / 1000).toFixed(2)} s after it restarted; ${load.accepted} accepted, ${load.unanswered} unanswered (retried)\n`,
    );
    expect(acceptedBefore).to.be.greaterThan(0);
    expect(load.accepted, "accepting after the restart").to.be.greaterThan(acceptedAtRestart + 19);
    expect(load.unanswered, "requests that failed while the database was down").to.be.greaterThan(0);
    try {
      expect((await fetch(`${a.url}/ready`)).status, "ready again").to.equal(200);
      expectPasswordNeverShown(cluster);
      for (const i of [a, b]) expect(i.alive(), `${i.name} still running:\n${i.process.output().slice(-3000)}`).to.equal(true);
      await settleAndCheck(load, b, fromBlock);
    } finally {
      await stopAll([a, b]);
    }
  });

  it("stops sending from an instance partitioned from PostgreSQL before the other takes over, which then alone sends", async function () {
    const proxy = await tcpProxy(cluster.pg.port);
    const rpc = await recordingRpc(cluster.chain.url);
    const env = { LEASE_TTL_MS: String(LEASE_TTL_MS) };
    try {
      const a = await cluster.startInstance("a2", { env, journalUrl: cluster.pg.url.replace(`:${cluster.pg.port}/`, `:${proxy.port}/`), rpcUrl: rpc.url });
      await cluster.waitForHolder(lease, a);
      const b = await cluster.startInstance("b2", { env });
      const before = (await cluster.lease(lease))!;
      const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
      const load = new Load(() => [a, b], cluster.volunteer, (claimBase += 1_000_000n));
      load.start(6, 20);
      await new Promise((r) => setTimeout(r, 3_000));
      expect(rpc.sends.length, "the partitioned-to-be instance was sending").to.be.greaterThan(0);

      const cutAt = Date.now();
      proxy.cut();
      await cluster.waitForHolder(lease, b, 20_000);
      const takenAt = Date.now();
      const lastSendOfA = Math.max(...rpc.sends.map((s) => s.at));
      process.stdout.write(
        `      partition: the other instance took the lease ${((takenAt - cutAt) / 1000).toFixed(2)} s after the cut; ` +
          `the partitioned one last sent ${((lastSendOfA - cutAt) / 1000).toFixed(2)} s after the cut\n`,
      );
      expect(takenAt - cutAt, "takeover after a partition (ms)").to.be.lessThan(10_000);
      // It stopped sending before the lease could be taken (half the TTL before, by its own clock).
      expect(lastSendOfA, "a send of the partitioned instance after the takeover").to.be.lessThan(takenAt);
      await new Promise((r) => setTimeout(r, 3_000));
      proxy.heal();
      await new Promise((r) => setTimeout(r, 3_000));
      await load.stop();
      const sendsAtHeal = rpc.sends.length;
      const tokens = await settleAndCheck(load, b, fromBlock);
      const after = (await cluster.lease(lease))!;
      expect(after.token).to.be.greaterThan(before.token);
      expect(after.holder, "the healed instance stays a follower").to.match(new RegExp(`:${b.pid}:`));
      expect(rpc.sends.filter((s) => s.at >= takenAt), "sends of the partitioned instance after the takeover").to.deep.equal([]);
      expect(rpc.sends.length).to.equal(sendsAtHeal);
      expect(tokens).to.include(after.token);
      expect(a.process.output()).to.match(/lease lost/);
      for (const i of [a, b]) {
        killGroup(i.process, "SIGTERM");
        await i.process.exited;
      }
    } finally {
      await proxy.close();
      await rpc.close();
    }
  });

  it("fences an instance paused for longer than its lease: resumed, it records nothing and sends no nonce the other re-used", async function () {
    const rpc = await recordingRpc(cluster.chain.url);
    const env = { LEASE_TTL_MS: String(LEASE_TTL_MS) };
    try {
      const a = await cluster.startInstance("a3", { env, rpcUrl: rpc.url });
      await cluster.waitForHolder(lease, a);
      const b = await cluster.startInstance("b3", { env });
      const before = (await cluster.lease(lease))!;
      const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
      let paused = false;
      const load = new Load(() => (paused ? [b] : [a, b]), cluster.volunteer, (claimBase += 1_000_000n));
      load.start(6, 20);
      await new Promise((r) => setTimeout(r, 3_000));

      paused = true; // the load balancer's health check takes it out
      killGroup(a.process, "SIGSTOP");
      const stoppedAt = Date.now();
      await cluster.waitForHolder(lease, b, 20_000);
      const takenAt = Date.now();
      const after = (await cluster.lease(lease))!;
      await new Promise((r) => setTimeout(r, 2_000));
      const resumedAt = Date.now();
      killGroup(a.process, "SIGCONT");
      paused = false;
      await new Promise((r) => setTimeout(r, 4_000));
      await load.stop();
      process.stdout.write(
        `      pause: the other instance took the lease ${((takenAt - stoppedAt) / 1000).toFixed(2)} s after SIGSTOP; SIGCONT ${((resumedAt - stoppedAt) / 1000).toFixed(2)} s after it\n`,
      );
      await a.process.waitFor(/lease lost/, 10_000);
      const tokens = await settleAndCheck(load, b, fromBlock);
      expect(after.token).to.be.greaterThan(before.token);
      expect((await cluster.lease(lease))!.holder, "the resumed instance stays a follower").to.match(new RegExp(`:${b.pid}:`));
      // Nothing recorded under the old holding after the takeover...
      const [{ late }] = await cluster.query<{ late: number }>(
        "SELECT count(*)::int AS late FROM transactions WHERE signer = $1 AND lease_token = $2 AND created_at > $3",
        [cluster.volunteer.signer, before.token, takenAt],
      );
      expect(late, "transactions recorded by the paused instance after the takeover").to.equal(0);
      // ...and whatever it sent after resuming is the journal's own bytes, signed before the pause.
      const journaled = new Map(
        (await cluster.query<{ hash: string; token: number }>("SELECT hash, lease_token::int AS token FROM transactions WHERE signer = $1", [cluster.volunteer.signer])).map(
          (r) => [r.hash.toLowerCase(), r.token],
        ),
      );
      const lateSends = rpc.sends.filter((s) => s.at >= resumedAt);
      process.stdout.write(`      the resumed instance sent ${lateSends.length} transaction(s) after SIGCONT\n`);
      for (const send of lateSends) expect(journaled.get(keccak256(send.raw as Hex).toLowerCase()), "a late send of bytes the journal holds under the old holding").to.equal(before.token);
      expect(tokens).to.include(after.token);
      expectPasswordNeverShown(cluster);
    } finally {
      await rpc.close();
    }
  });
});
