/**
 * `npm run council` end to end against an anvil node: members with their own 0600 key files
 * (unfunded, at gas price 0 as on the city's free-gas network) propose, approve, revoke and execute
 * a quota change; the ledger changes exactly then; the audit finds the decision clean; and every
 * kind of bad input or refused step gets its message and exit status, with nothing sent.
 */
import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Wallet } from "ethers";
import { http } from "viem";
import { runCouncilCli } from "../../scripts/council";
import { COUNCIL_EXIT } from "../../scripts/council/errors";
import { deployCityLedger } from "../../scripts/lib/deploy";
import { CITY_CHAIN, startUnlockedAnvil, type UnlockedChain } from "../../scripts/lib/anvil";
import { DEMO_AGENCIES } from "../../scripts/lib/demoAgencies";
import { audit } from "../../sdk/src/auditor/audit";
import { cityCouncilAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import type { Deployment } from "../../sdk/src/deployment";
import { runCli } from "../network/helpers/cli";

async function council(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCouncilCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("council command against an anvil node", function () {
  let anvil: UnlockedChain;
  let dir: string;
  let deploymentFile: string;
  let deployment: Deployment;
  let ledger: Contract;
  let councilContract: Contract;
  const members = Array.from({ length: 4 }, () => Wallet.createRandom());
  const keyFiles: string[] = [];
  let agencies: string[];
  let pauser: string;
  const common = () => ["--rpc", anvil.url, "--deployment", deploymentFile];
  const as = (member: number) => [...common(), "--key-file", keyFiles[member], "--gas-price", "0"];

  before(async function () {
    anvil = await startUnlockedAnvil({ accounts: 8, args: CITY_CHAIN });
    dir = mkdtempSync(join(tmpdir(), "council-cli-"));
    deploymentFile = join(dir, "deployment.json");
    members.forEach((m, i) => {
      keyFiles[i] = join(dir, `member-${i}.key`);
      writeFileSync(keyFiles[i], m.privateKey + "\n", { mode: 0o600 });
    });
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => anvil.signer(i).then((s) => s.getAddress())));
    agencies = accounts.slice(1, 5);
    pauser = accounts[5];
    deployment = await deployCityLedger(
      await anvil.signer(0),
      {
        councilMembers: members.map((m) => m.address),
        councilThreshold: 2,
        pauser,
        periodSeconds: 86_400,
        domains: DEMO_AGENCIES.map((name, i) => ({
          name,
          agency: agencies[i],
          pointValue: 10 * (i + 1),
          residentCap: 0n,
          transferable: false,
          issuers: [{ address: agencies[i], quota: 1_000n }],
        })),
      },
      deploymentFile,
    );
    ledger = new Contract(deployment.ledger, pointsLedgerAbi as never, anvil.provider);
    councilContract = new Contract(deployment.council, cityCouncilAbi as never, anvil.provider);
  });

  after(async function () {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe("a quota raised end to end", function () {
    it("volunteer proposes: the call decoded, 1 approval of 2, expiry shown", async function () {
      const r = await council(["propose", "set-quota", "2", agencies[1], "5000", ...as(0)]);
      expect(r.code, r.err).to.equal(COUNCIL_EXIT.ok);
      expect(r.out).to.match(/^proposed \(tx 0x[0-9a-f]{64}\)\n/);
      expect(r.out).to.include(`proposal 1: ledger.setIssuerQuota(2, ${agencies[1]}, 5000)`);
      expect(r.out).to.include(`proposed by ${members[0].address}; approvals 1 (${members[0].address}); needs 1 more approval(s), expires `);
      const p = await councilContract.proposal(1n);
      expect(p.approvals).to.equal(1n);
      expect(p.expiresAt - BigInt((await anvil.provider.getBlock("latest"))!.timestamp)).to.be.closeTo(7n * 86_400n, 5n);
      expect((await ledger.issuerState(2, agencies[1])).quota).to.equal(1_000n);
    });

    it("lists it as open, with who approved and what is missing (no key needed)", async function () {
      const r = await council(["list", ...common()]);
      expect(r.code, r.err).to.equal(COUNCIL_EXIT.ok);
      expect(r.out).to.include("4 members, 2 approvals needed");
      expect(r.out).to.include(`proposal 1: ledger.setIssuerQuota(2, ${agencies[1]}, 5000)`);
      expect(r.out).to.include("needs 1 more approval(s)");
    });

    it("refuses to execute it with too few approvals, sending nothing", async function () {
      const r = await council(["execute", "1", ...as(2)]);
      expect(r.code).to.equal(COUNCIL_EXIT.refused);
      expect(r.err).to.include("proposal 1 has 1 approvals; 2 are needed");
      expect(await anvil.provider.getTransactionCount(members[2].address)).to.equal(0);
    });

    it("transport approves, withdraws, and approves again", async function () {
      let r = await council(["approve", "1", ...as(1)]);
      expect(r.code, r.err).to.equal(COUNCIL_EXIT.ok);
      expect(r.out).to.include("approved proposal 1");
      expect(r.out).to.include("approvals 2");
      expect(r.out).to.include("ready to execute");
      r = await council(["revoke", "1", ...as(1)]);
      expect(r.code, r.err).to.equal(COUNCIL_EXIT.ok);
      expect(r.out).to.include("revoked the approval of proposal 1");
      expect(await councilContract.hasApproved(1n, members[1].address)).to.equal(false);
      r = await council(["revoke", "1", ...as(1)]);
      expect(r.code).to.equal(COUNCIL_EXIT.refused);
      expect(r.err).to.include(`${members[1].address} has not approved proposal 1`);
      r = await council(["approve", "1", ...as(1)]);
      expect(r.code, r.err).to.equal(COUNCIL_EXIT.ok);
      r = await council(["approve", "1", ...as(1)]);
      expect(r.code).to.equal(COUNCIL_EXIT.refused);
      expect(r.err).to.include(`${members[1].address} already approved proposal 1`);
    });

    it("culture executes it: the quota changes on chain, the proposal leaves the open list", async function () {
      const r = await council(["execute", "1", ...as(2)]);
      expect(r.code, r.err).to.equal(COUNCIL_EXIT.ok);
      expect(r.out).to.include("executed proposal 1");
      expect((await ledger.issuerState(2, agencies[1])).quota).to.equal(5_000n);
      expect((await council(["list", ...common()])).out).to.include("no open proposals");
      expect((await council(["list", "--all", ...common()])).out).to.match(/proposal 1: .*\n .*; executed/);
    });

    it("the audit finds the decision clean (I8 included)", async function () {
      const report = await audit({ transport: http(anvil.url), deployment });
      expect(report.violations).to.deep.equal([]);
      expect(report.governance.proposalsExecuted).to.equal(1);
    });
  });

  describe("refusals", function () {
    it("an unknown action or a wrong number of arguments: exit 2, with the actions or the usage", async function () {
      let r = await council(["propose", "mint-points", "1", ...as(0)]);
      expect(r.code).to.equal(COUNCIL_EXIT.usage);
      expect(r.err).to.include('unknown action "mint-points"; actions: admit-issuer, set-quota');
      r = await council(["propose", "set-resident-cap", "1", ...as(0)]);
      expect(r.code).to.equal(COUNCIL_EXIT.usage);
      expect(r.err).to.include("set-resident-cap takes 2 argument(s): set-resident-cap <domainId> <cap>");
    });

    it("a bad address, a number out of range, an unknown domain, an issuer that is not one: exit 2", async function () {
      const cases: [string[], string][] = [
        [["admit-issuer", "1", "0x1234", "10"], 'issuer must be a non-zero address (0x and 40 hex digits), not "0x1234"'],
        [["set-resident-cap", "1", "-5"], 'cap must be a whole number, not "-5"'],
        [["set-quota", "1", agencies[0], String(2n ** 96n)], "quota must be between 1 and"],
        [["set-resident-cap", "9", "10"], "there is no domain 9: the ledger has 4"],
        [["set-quota", "1", agencies[3], "10"], `${agencies[3]} is not an issuer of domain 1: use admit-issuer`],
        [["admit-issuer", "1", agencies[0], "10"], `${agencies[0]} is already an issuer of domain 1: use set-quota`],
        [["set-transferable", "1", "yes"], 'transferable must be true or false, not "yes"'],
      ];
      for (const [args, message] of cases) {
        const r = await council(["propose", ...args, ...as(0)]);
        expect(r.code, args.join(" ")).to.equal(COUNCIL_EXIT.usage);
        expect(r.err, args.join(" ")).to.include(message);
      }
      expect(await councilContract.proposalCount()).to.equal(1n);
    });

    it("a call the ledger would refuse from the council now is not proposed (exit 1, the ledger's error)", async function () {
      const r = await council(["propose", "unpause-ledger", ...as(0)]);
      expect(r.code).to.equal(COUNCIL_EXIT.refused);
      expect(r.err).to.include("PointsLedgerNotPaused");
      expect(r.err).to.include("nothing was proposed");
      expect(await councilContract.proposalCount()).to.equal(1n);
    });

    it("a key file others can read: exit 2, before the chain is asked", async function () {
      const loose = join(dir, "loose.key");
      writeFileSync(loose, members[0].privateKey);
      chmodSync(loose, 0o644);
      const r = await council(["approve", "1", ...common(), "--key-file", loose]);
      expect(r.code).to.equal(COUNCIL_EXIT.usage);
      expect(r.err).to.include(`${loose} can be read by other users (mode 644): chmod 600 it`);
    });

    it("a key that is not a member's: exit 1, nothing sent", async function () {
      const stranger = Wallet.createRandom();
      const file = join(dir, "stranger.key");
      writeFileSync(file, stranger.privateKey, { mode: 0o600 });
      const r = await council(["propose", "set-resident-cap", "1", "100", ...common(), "--key-file", file, "--gas-price", "0"]);
      expect(r.code).to.equal(COUNCIL_EXIT.refused);
      expect(r.err).to.include(`${stranger.address} (the key file's address) is not a member of the council`);
      expect(await anvil.provider.getTransactionCount(stranger.address)).to.equal(0);
    });

    it("an expired proposal cannot be approved or executed (exit 1, when it expired)", async function () {
      const proposed = await council(["propose", "set-resident-cap", "1", "100", ...as(0)]);
      expect(proposed.code, proposed.err).to.equal(COUNCIL_EXIT.ok);
      await anvil.provider.send("evm_increaseTime", [7 * 86_400 + 60]);
      await anvil.provider.send("evm_mine", []);
      for (const step of ["approve", "execute"]) {
        const r = await council([step, "2", ...as(1)]);
        expect(r.code, step).to.equal(COUNCIL_EXIT.refused);
        expect(r.err, step).to.match(/proposal 2 expired at \d{4}-\d\d-\d\dT/);
      }
      expect((await council(["list", ...common()])).out).to.include("no open proposals");
      expect((await council(["list", "--all", ...common()])).out).to.match(/proposal 2: ledger\.setResidentCap\(1, 100\)\n.*; expired /);
    });

    it("an unreachable node: exit 3; a missing deployment record: exit 2", async function () {
      let r = await council(["list", "--rpc", "http://127.0.0.1:1", "--deployment", deploymentFile]);
      expect(r.code).to.equal(COUNCIL_EXIT.chain);
      expect(r.err).to.include("does not answer");
      r = await council(["list", "--rpc", anvil.url, "--deployment", join(dir, "missing.json")]);
      expect(r.code).to.equal(COUNCIL_EXIT.usage);
      expect(r.err).to.include("cannot read the deployment record");
    });

    it("runs as a script (what `npm run council` starts), with its exit status", async function () {
      const r = await runCli("scripts/council.ts", ["list", "--all", ...common()]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include("proposal 1: ledger.setIssuerQuota");
      const bad = await runCli("scripts/council.ts", ["frobnicate"]);
      expect(bad.code).to.equal(COUNCIL_EXIT.usage);
    });
  });
});
