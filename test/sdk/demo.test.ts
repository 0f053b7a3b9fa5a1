/**
 * `npm run demo` end to end: `npm start` on a fresh data directory and free ports (a short
 * settlement period), then the demo against it; its exit status and the lines that say each part
 * of the day happened. Also: the demo's clear refusal when nothing is running.
 */
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, killGroup, spawnTs, type Spawned } from "../../scripts/lib/processes";

describe("npm run demo", function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), "demo-"));
  let env: Record<string, string>;
  let system: Spawned | undefined;

  async function runDemo(extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
    const demo = spawnTs("scripts/demo.ts", { ...env, ...extraEnv });
    const { code } = await demo.exited;
    return { code, output: demo.output() };
  }

  before(async () => {
    env = { DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: "warn", PERIOD_SECONDS: "10" };
  });
  after(async () => {
    if (system && system.child.exitCode === null) {
      killGroup(system, "SIGINT");
      const timer = setTimeout(() => killGroup(system!, "SIGKILL"), 10_000);
      await system.exited;
      clearTimeout(timer);
    }
  });

  it("says how to start the exchange when it has never run in that data directory", async () => {
    const { code, output } = await runDemo();
    expect(code).to.equal(1);
    expect(output).to.include(`No agency credentials at ${join(dataDir, "credentials", "volunteer.json")}`);
    expect(output).to.include("npm start");
  });

  it("plays the day against a running `npm start`: issues, agrees, exchanges, redeems, settles and audits clean", async () => {
    system = spawnTs("scripts/start.ts", env);
    await system.waitFor(/Ctrl-C stops/, 60_000);
    const { code, output } = await runDemo();
    expect(code, output).to.equal(0);
    expect(output).to.match(/^ {2}volunteer proposed it as proposal \d+: ledger\.setIssuerQuota\(1, 0x[0-9a-fA-F]{40}, \d+\) \(tx 0x[0-9a-f]{64}\)\.$/m);
    expect(output).to.match(/^ {2}transport approved proposal \d+ \(tx 0x[0-9a-f]{64}\)\.$/m);
    expect(output).to.match(/^ {2}culture executed proposal \d+ \(tx 0x[0-9a-f]{64}\)\.$/m);
    const [, now, was] = /The volunteer agency's quota is now (\d+) points per period \(was (\d+)\)/.exec(output)!;
    expect(BigInt(now) - BigInt(was)).to.equal(1_000n);
    expect(output).to.match(/^ {2}ok {3}I8 council changes by proposals approved and executed as proposed; our code deployed$/m);
    for (const agency of ["volunteer", "transport", "culture", "environment"]) {
      expect(output).to.match(new RegExp(`^  ${agency} issued \\d+ to (Alice|Bob).*confirmed in block`, "m"));
    }
    expect(output).to.match(/^ {2}transport approved it: version \d+ is in force/m);
    expect(output).to.match(/^ {2}Alice wanted to exchange 100 volunteer points; the quote gives 50 transport points\. Exchanged 100 for 50/m);
    expect(output).to.match(/Bob keeps 1\. Exchanged 40 for 20/);
    expect(output).to.match(/^ {2}Alice redeemed 30 transport points/m);
    expect(output).to.match(/^ {2}Waiting for period \d+ to end: \d+ s left/m);
    // 70 transport points came out of exchanges at point value 20 (in one period, or two if the exchanges straddled a boundary).
    const total = (pattern: RegExp) => [...output.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(total(/^ {2}volunteer owes (\d+) value units\.$/gm)).to.equal(1_400);
    expect(total(/^ {2}transport is owed (\d+) value units\.$/gm)).to.equal(1_400);
    expect(output).to.match(/^ {2}The positions sum to 0\.$/m);
    expect(output).to.not.match(/^ {2}The positions sum to [^0]/m);
    expect(output).to.match(/^ {2}Settlement of period \d+ is complete: every position confirmed\./m);
    expect(output).to.match(/^ {2}ok {3}I6 settlement positions net to zero$/m);
    expect(output).to.include("RESULT: no violations.");
    expect(output).to.match(/The day is done: .* the audit found no violations\.\n$/);
  });

  it("says the relay is not answering when `npm start` has stopped", async () => {
    killGroup(system!, "SIGINT");
    expect((await system!.exited).code).to.equal(0);
    const { code, output } = await runDemo();
    expect(code).to.equal(1);
    expect(output).to.match(/The relay at http:\/\/127\.0\.0\.1:\d+ is not answering: is `npm start` running\?/);
  });
});
