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
import { killGroup } from "../../scripts/lib/processes";
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
  /** Two instances, each reaching PostgreSQL through a TCP proxy of its own, and the chain through a recording proxy. */
  const sides: { instance: Instance; db: Awaited<ReturnType<typeof tcpProxy>>; rpc: Awaited<ReturnType<typeof recordingRpc>> }[] = [];

  before(async function () {
    cluster = await startCluster("pg-faults");
    lease = signerLease(cluster.volunteer.signer);
    for (const name of ["a", "b"]) {
      const db = await tcpProxy(cluster.pg.port);
      const rpc = await recordingRpc(cluster.chain.url);
      const journalUrl = cluster.pg.url.replace(`:${cluster.pg.port}/`, `:${db.port}/`);
      const instance = await cluster.startInstance(name, { journalUrl, rpcUrl: rpc.url, env: { LEASE_TTL_MS: String(LEASE_TTL_MS) } });
      sides.push({ instance, db, rpc });
    }
  });

  after(async function () {
    await cluster?.stop();
    for (const side of sides) {
      await side.db.close();
      await side.rpc.close();
    }
  });

  /** The side whose instance holds the signer's lease now, and the other one. */
  async function roles(): Promise<[(typeof sides)[number], (typeof sides)[number]]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const held = await cluster.lease(lease);
      const holder = held && !held.expired ? sides.find((s) => held.holder.split(":")[1] === String(s.instance.pid)) : undefined;
      if (holder) return [holder, sides.find((s) => s !== holder)!];
      if (Date.now() > deadline) throw new Error(`nobody holds ${lease}: ${JSON.stringify(held)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function settleAndCheck(load: Load, target: Instance, fromBlock: bigint): Promise<number[]> {
    const finals = await load.settle(target);
    expect(finals.filter((f) => f.status !== "confirmed"), "operations not confirmed").to.deep.equal([]);
    await expectIssuedOnce(cluster, load.items, fromBlock);
    return expectNoncesConsistent(cluster, cluster.volunteer.signer, fromBlock);
  }

  it("recovers from the PostgreSQL server killed and restarted under load: nothing lost, nothing doubled", async function () {
    const [a, b] = sides.map((s) => s.instance);
    await roles();
    const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
    const load = new Load(() => [a, b], cluster.volunteer, (claimBase += 1_000_000n));
    load.start(4, 30);
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
    expect((await fetch(`${a.url}/ready`)).status, "ready again").to.equal(200);
    for (const i of [a, b]) expect(i.alive(), `${i.name} still running:\n${i.process.output().slice(-3000)}`).to.equal(true);
    await settleAndCheck(load, b, fromBlock);
    expectPasswordNeverShown(cluster);
  });

  it("stops sending from an instance partitioned from PostgreSQL before the other takes over, which then alone sends", async function () {
    const [sender, other] = await roles();
    process.stdout.write(`      partitioning ${sender.instance.name}; ${other.instance.name} should take over\n`);
    const before = (await cluster.lease(lease))!;
    const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
    const load = new Load(() => [sender.instance, other.instance], cluster.volunteer, (claimBase += 1_000_000n));
    load.start(4, 30);
    await new Promise((r) => setTimeout(r, 3_000));
    const sendsBefore = sender.rpc.sends.length;

    const cutAt = Date.now();
    sender.db.cut();
    await cluster.waitForHolder(lease, other.instance, 20_000);
    const takenAt = Date.now();
    const lastSend = Math.max(...sender.rpc.sends.map((s) => s.at));
    process.stdout.write(
      `      partition: the other instance took the lease ${((takenAt - cutAt) / 1000).toFixed(2)} s after the cut; ` +
        `the partitioned one last sent ${((lastSend - cutAt) / 1000).toFixed(2)} s after the cut (${sender.rpc.sends.length - sendsBefore} sends after the cut)\n`,
    );
    expect(takenAt - cutAt, "takeover after a partition (ms)").to.be.lessThan(10_000);
    // It stopped sending before the lease could be taken (half the TTL before, by its own clock).
    expect(lastSend, "a send of the partitioned instance after the takeover").to.be.lessThan(takenAt);
    await new Promise((r) => setTimeout(r, 1_500));
    sender.db.heal();
    await new Promise((r) => setTimeout(r, 2_500));
    await load.stop();
    const tokens = await settleAndCheck(load, other.instance, fromBlock);
    const after = (await cluster.lease(lease))!;
    expect(after.token).to.be.greaterThan(before.token);
    expect(after.holder, "the healed instance stays a follower").to.match(new RegExp(`:${other.instance.pid}:`));
    expect(sender.rpc.sends.filter((s) => s.at >= takenAt), "sends of the partitioned instance after the takeover").to.deep.equal([]);
    expect(tokens).to.include(after.token);
    expect(sender.instance.process.output()).to.match(/lease lost/);
  });

  it("fences an instance paused for longer than its lease: resumed, it records nothing and sends no nonce the other re-used", async function () {
    const [sender, other] = await roles();
    process.stdout.write(`      pausing ${sender.instance.name}; ${other.instance.name} should take over\n`);
    const before = (await cluster.lease(lease))!;
    const fromBlock = (await cluster.viem.getBlockNumber()) + 1n;
    let paused = false;
    const load = new Load(() => (paused ? [other.instance] : [sender.instance, other.instance]), cluster.volunteer, (claimBase += 1_000_000n));
    load.start(4, 30);
    await new Promise((r) => setTimeout(r, 3_000));
    const lostBefore = (sender.instance.process.output().match(/lease lost/g) ?? []).length;

    paused = true; // the load balancer's health check takes it out
    killGroup(sender.instance.process, "SIGSTOP");
    const stoppedAt = Date.now();
    await cluster.waitForHolder(lease, other.instance, 20_000);
    const takenAt = Date.now();
    const after = (await cluster.lease(lease))!;
    await new Promise((r) => setTimeout(r, 2_000));
    const resumedAt = Date.now();
    killGroup(sender.instance.process, "SIGCONT");
    paused = false;
    await new Promise((r) => setTimeout(r, 3_000));
    await load.stop();
    process.stdout.write(
      `      pause: the other instance took the lease ${((takenAt - stoppedAt) / 1000).toFixed(2)} s after SIGSTOP; SIGCONT ${((resumedAt - stoppedAt) / 1000).toFixed(2)} s after it\n`,
    );
    expect((sender.instance.process.output().match(/lease lost/g) ?? []).length, "the resumed instance noticed").to.be.greaterThan(lostBefore);
    const tokens = await settleAndCheck(load, other.instance, fromBlock);
    expect(after.token).to.be.greaterThan(before.token);
    expect((await cluster.lease(lease))!.holder, "the resumed instance stays a follower").to.match(new RegExp(`:${other.instance.pid}:`));
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
    const lateSends = sender.rpc.sends.filter((s) => s.at >= resumedAt);
    process.stdout.write(`      the resumed instance sent ${lateSends.length} transaction(s) after SIGCONT\n`);
    for (const send of lateSends) expect(journaled.get(keccak256(send.raw as Hex).toLowerCase()), "a late send of bytes the journal holds under the old holding").to.equal(before.token);
    expect(tokens).to.include(after.token);
    expectPasswordNeverShown(cluster);
  });
});
