/**
 * Thousands of random operations on a real ledger (seeded, replayable), with the auditor run at
 * checkpoints: a ledger that only the contract changed must audit clean, and its totals must match
 * a small model kept beside it. AUDIT_FUZZ_RUNS sets the number of operations (default 2,000),
 * AUDIT_FUZZ_SEED the seed (default: random, printed).
 */
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import type { ContractTransactionResponse, Signer } from "ethers";
import { audit } from "../../sdk/src/auditor/audit";
import { DAY, deployLedger, DOMAIN, type LedgerSetup } from "../helpers/deploy";
import { exchangeIntent, redeemIntent, signIntent, transferIntent } from "../helpers/intents";
import { deploymentOf, hardhatTransport, nextPeriod } from "./helpers/chain";

const OPERATIONS = Number(process.env.AUDIT_FUZZ_RUNS ?? 2_000);
const SEED = Number(process.env.AUDIT_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHECKPOINT = 500;
const PAIRS: [number, number][] = [
  [DOMAIN.volunteer, DOMAIN.transport],
  [DOMAIN.transport, DOMAIN.culture],
  [DOMAIN.culture, DOMAIN.volunteer],
  [DOMAIN.volunteer, DOMAIN.environment],
  [DOMAIN.environment, DOMAIN.transport],
];
const EXTRA_HOLDERS = 24;

const domainArb = fc.integer({ min: 1, max: 4 });
const residentArb = fc.nat(7);
const fractionArb = fc.integer({ min: 1, max: 100 });
const operationArb = fc.oneof(
  { weight: 30, arbitrary: fc.record({ kind: fc.constant("issue" as const), domain: domainArb, holder: fc.nat(7 + EXTRA_HOLDERS), amount: fc.integer({ min: 1, max: 400 }), reuseClaim: fc.nat(9).map((n) => n === 0) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("batch" as const), domain: domainArb, size: fc.integer({ min: 1, max: 60 }), amount: fc.integer({ min: 1, max: 50 }) }) },
  { weight: 25, arbitrary: fc.record({ kind: fc.constant("exchange" as const), resident: residentArb, pair: fc.nat(PAIRS.length - 1), fraction: fractionArb }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("redeem" as const), resident: residentArb, domain: domainArb, fraction: fractionArb }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("transfer" as const), resident: residentArb, to: residentArb, fraction: fractionArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("agreement" as const), pair: fc.nat(PAIRS.length - 1), rateNum: fc.integer({ min: 1, max: 9 }), rateDen: fc.integer({ min: 1, max: 9 }), cap: fc.constantFrom(0, 0, 500, 5_000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("suspend" as const), pair: fc.nat(PAIRS.length - 1), byTo: fc.boolean(), suspended: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("period" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const), domain: domainArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cap" as const), domain: domainArb, cap: fc.constantFrom(0, 300, 2_000) }) },
);
type Operation = typeof operationArb extends fc.Arbitrary<infer T> ? T : never;

/** Applies operations to the ledger; keeps residents' balances (to pick amounts) and flow totals. */
class Driver {
  balances = new Map<string, bigint>();
  issued = [0n, 0n, 0n, 0n, 0n];
  sent = 0;
  succeeded = 0;
  /** Reverts by error name: the contract refusing what a random operation asked is expected. */
  failures = new Map<string, number>();
  private nextClaim = 1n;
  private lastClaim = new Map<number, bigint>();
  /** Paused domains and the operation count when they were paused; the council lifts a pause after a while. */
  private paused = new Map<number, number>();
  private applied = 0;
  private holders: string[] = [];

  constructor(private readonly s: LedgerSetup) {}

  async init(): Promise<void> {
    const { ledger, agencies, partner } = this.s;
    this.holders = [
      ...(await Promise.all(this.s.residents.map((r) => r.getAddress()))),
      ...Array.from({ length: EXTRA_HOLDERS }, (_, i) => ethers.getAddress(ethers.toBeHex(0xabc000 + i, 20))),
    ];
    for (const [from, to] of PAIRS) {
      // Domain d's points are worth 10·d: 2·from/(3·to) credits two thirds of the value it burns (the value rule).
      await ledger.connect(agencies[from - 1]).proposeAgreement(from, to, 2 * from, 3 * to, 0, 0, 1_000_000);
      await ledger.connect(agencies[to - 1]).approveAgreement(await ledger.agreementIdOf(from, to), 1);
    }
    for (let d = 1; d <= 4; d++) await ledger.connect(agencies[d - 1]).setPartner(d, await partner.getAddress(), true);
  }

  private key(domain: number, resident: number): string {
    return `${domain}:${resident}`;
  }

  private balance(domain: number, resident: number): bigint {
    return this.balances.get(this.key(domain, resident)) ?? 0n;
  }

  private add(domain: number, resident: number, amount: bigint): void {
    this.balances.set(this.key(domain, resident), this.balance(domain, resident) + amount);
  }

  private async send(tx: () => Promise<ContractTransactionResponse>): Promise<boolean> {
    this.sent++;
    try {
      await (await tx()).wait();
      this.succeeded++;
      return true;
    } catch (error) {
      const name = /custom error '(\w+)/.exec((error as Error).message)?.[1] ?? (error as Error).message.slice(0, 60);
      this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
      return false;
    }
  }

  private portion(domain: number, resident: number, fraction: number): bigint {
    const b = this.balance(domain, resident);
    return b === 0n ? 0n : (b * BigInt(fraction)) / 100n || 1n;
  }

  async apply(op: Operation): Promise<void> {
    const { ledger, agencies, residents, partner, pauser, asCouncil } = this.s;
    this.applied++;
    for (const [domain, since] of this.paused) {
      if (this.applied - since < 15) continue;
      await asCouncil("unpauseDomain", [domain]);
      this.paused.delete(domain);
    }
    const signer = (i: number): Signer => residents[i];
    switch (op.kind) {
      case "issue": {
        const claim = op.reuseClaim && this.lastClaim.has(op.domain) ? this.lastClaim.get(op.domain)! : this.nextClaim++;
        const ok = await this.send(() => ledger.connect(agencies[op.domain - 1]).issue(op.domain, this.holders[op.holder], op.amount, claim));
        if (ok) {
          this.lastClaim.set(op.domain, claim);
          this.issued[op.domain] += BigInt(op.amount);
          if (op.holder < 8) this.add(op.domain, op.holder, BigInt(op.amount));
        }
        return;
      }
      case "batch": {
        const items = Array.from({ length: op.size }, (_, i) => ({ resident: this.holders[(i * 7) % this.holders.length], amount: op.amount, claimId: this.nextClaim++ }));
        if (await this.send(() => ledger.connect(agencies[op.domain - 1]).issueBatch(op.domain, items))) {
          this.issued[op.domain] += BigInt(op.amount * op.size);
          items.forEach((item) => {
            const i = this.holders.indexOf(item.resident);
            if (i < 8) this.add(op.domain, i, BigInt(op.amount));
          });
        }
        return;
      }
      case "exchange": {
        const [from, to] = PAIRS[op.pair];
        const amountIn = this.portion(from, op.resident, op.fraction);
        if (amountIn === 0n) return;
        const intent = await exchangeIntent(ledger, signer(op.resident), { fromDomain: from, toDomain: to, amountIn });
        const sig = await signIntent(signer(op.resident), ledger, "ExchangeIntent", intent);
        const before = await ledger.balanceOf(await signer(op.resident).getAddress(), to);
        if (await this.send(() => ledger.exchange(intent, sig.v, sig.r, sig.s))) {
          this.add(from, op.resident, -amountIn);
          this.add(to, op.resident, (await ledger.balanceOf(await signer(op.resident).getAddress(), to)) - before);
        }
        return;
      }
      case "redeem": {
        const amount = this.portion(op.domain, op.resident, op.fraction);
        if (amount === 0n) return;
        const intent = await redeemIntent(ledger, signer(op.resident), { domainId: op.domain, amount, partner: await partner.getAddress() });
        const sig = await signIntent(signer(op.resident), ledger, "RedeemIntent", intent);
        if (await this.send(() => ledger.redeem(intent, sig.v, sig.r, sig.s))) this.add(op.domain, op.resident, -amount);
        return;
      }
      case "transfer": {
        const amount = this.portion(DOMAIN.culture, op.resident, op.fraction);
        if (amount === 0n || op.to === op.resident) return;
        const intent = await transferIntent(ledger, signer(op.resident), { domainId: DOMAIN.culture, amount, to: await signer(op.to).getAddress() });
        const sig = await signIntent(signer(op.resident), ledger, "TransferIntent", intent);
        if (await this.send(() => ledger.transfer(intent, sig.v, sig.r, sig.s))) {
          this.add(DOMAIN.culture, op.resident, -amount);
          this.add(DOMAIN.culture, op.to, amount);
        }
        return;
      }
      case "agreement": {
        const [from, to] = PAIRS[op.pair];
        const id = await ledger.agreementIdOf(from, to);
        if (await this.send(() => ledger.connect(agencies[from - 1]).proposeAgreement(from, to, op.rateNum, op.rateDen, op.cap, 0, 1_000_000))) {
          const { pending } = await ledger.agreement(id);
          await this.send(() => ledger.connect(agencies[to - 1]).approveAgreement(id, pending.version));
        }
        return;
      }
      case "suspend": {
        const [from, to] = PAIRS[op.pair];
        const side = op.byTo ? to : from;
        await this.send(async () => ledger.connect(agencies[side - 1]).setAgreementSuspended(await ledger.agreementIdOf(from, to), op.suspended));
        return;
      }
      case "period": {
        await nextPeriod(DAY);
        const period = Number(await ledger.currentPeriod()) - 1;
        if (await this.send(() => ledger.closePeriod(period))) {
          for (let d = 1; d <= 4; d++) {
            if ((await ledger.settlementPosition(period, d)).net !== 0n) {
              await this.send(() => ledger.connect(agencies[d - 1]).confirmSettlement(period, d, ethers.id(`pay-${period}-${d}`)));
            }
          }
        }
        return;
      }
      case "pause": {
        if (await this.send(() => ledger.connect(pauser).pauseDomain(op.domain))) this.paused.set(op.domain, this.applied);
        return;
      }
      case "cap":
        await asCouncil("setResidentCap", [op.domain, op.cap]);
        return;
    }
  }
}

describe("audit after thousands of random operations", function () {
  this.timeout(600_000);

  it(`finds no violation on a ledger changed only through the contract (${OPERATIONS} operations, seed ${SEED})`, async function () {
    console.log(`      fuzz seed ${SEED} (replay: AUDIT_FUZZ_SEED=${SEED} AUDIT_FUZZ_RUNS=${OPERATIONS})`);
    const operations = fc.sample(fc.array(operationArb, { minLength: OPERATIONS, maxLength: OPERATIONS }), { seed: SEED, numRuns: 1 })[0];
    const setup = await deployLedger({ residentCap: 0n });
    const deployment = await deploymentOf(setup);
    const driver = new Driver(setup);
    await driver.init();

    for (let i = 0; i < operations.length; i++) {
      await driver.apply(operations[i]);
      if ((i + 1) % CHECKPOINT === 0 || i === operations.length - 1) {
        const report = await audit({ transport: hardhatTransport(), deployment });
        expect(report.violations, `after operation ${i + 1} (seed ${SEED})`).to.deep.equal([]);
        for (let d = 1; d <= 4; d++) expect(report.domains[d - 1].issued, `domain ${d} issued`).to.equal(driver.issued[d].toString());
        if (i === operations.length - 1) {
          console.log(`      reverts: ${JSON.stringify(Object.fromEntries(driver.failures))}`);
          // The ledger really moved: most kinds of operation succeeded many times.
          expect(driver.succeeded).to.be.greaterThan(driver.sent * 0.6);
          expect(driver.sent).to.be.greaterThan(OPERATIONS * 0.8);
          expect(report.intents.exchanges + report.intents.redemptions + report.intents.transfers).to.be.greaterThan(OPERATIONS / 10);
          expect(report.periods.filter((p) => p.closed).length).to.be.greaterThan(0);
          const residents = await Promise.all(setup.residents.map((r) => r.getAddress()));
          for (const [key, balance] of driver.balances) {
            const [domain, resident] = key.split(":").map(Number);
            expect(await setup.ledger.balanceOf(residents[resident], domain), `model balance ${key}`).to.equal(balance);
          }
          console.log(`      ${driver.sent} transactions sent, ${driver.succeeded} succeeded, ${report.events.total} events audited`);
        }
      }
    }
  });
});
