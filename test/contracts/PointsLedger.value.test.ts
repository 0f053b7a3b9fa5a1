/**
 * The value rule (IPointsLedger.proposeAgreement): no agreement credits more value than it burns,
 * `rateNum × pointValue(to) ≤ rateDen × pointValue(from)`, so no loop of exchanges ends with more
 * value than it began with. A property test over random point values, a random rate for every
 * ordered pair of domains (the ledger accepts some and refuses the others) and random walks of
 * exchanges along the agreements in force, each walk ending back where it started when it can (a
 * loop): after every exchange, the resident's total value Σ balance × pointValue has not grown.
 *
 * It would fail without the rule: the same walks over every proposed rate, on a model that accepts
 * them all, grow a resident's value in some runs, and the test asserts that they did.
 *
 * Seeded and replayable: the seed is printed; rerun with LEDGER_VALUE_SEED=<seed>, more runs with
 * LEDGER_VALUE_RUNS=<n> (default 40).
 */
import { expect } from "chai";
import fc from "fast-check";
import type { Signer } from "ethers";
import { deployLedger, type LedgerSetup } from "../helpers/deploy";
import { exchangeIntent, signIntent } from "../helpers/intents";
import { agreementIdOf, DOMAINS } from "../helpers/ledgerModel";

const RUNS = Number(process.env.LEDGER_VALUE_RUNS ?? 40);
const SEED = process.env.LEDGER_VALUE_SEED ? Number(process.env.LEDGER_VALUE_SEED) : Date.now() % 2 ** 31;
const START = 10_000n;
const OPEN = 2 ** 32 - 1;

interface Rate {
  from: number;
  to: number;
  num: bigint;
  den: bigint;
}

const PAIRS = DOMAINS.flatMap((from) => DOMAINS.filter((to) => to !== from).map((to) => ({ from, to })));
const caseArb = fc.record({
  values: fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 4, maxLength: 4 }),
  rates: fc.array(fc.record({ num: fc.bigInt(1n, 20n), den: fc.bigInt(1n, 20n) }), { minLength: PAIRS.length, maxLength: PAIRS.length }),
  // A walk: where it starts, which agreement it takes at each hop (an index among those leaving the
  // domain it is in), and the amount put in; all it received goes on to the next hop.
  walks: fc.array(
    fc.record({ start: fc.constantFrom(...DOMAINS), hops: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), amount: fc.bigInt(1n, 5_000n) }),
    { minLength: 1, maxLength: 4 },
  ),
});

/** Total value of a resident's holdings: Σ balance × point value. */
function valueOf(balances: Map<number, bigint>, values: number[]): bigint {
  let total = 0n;
  for (const d of DOMAINS) total += (balances.get(d) ?? 0n) * BigInt(values[d - 1]);
  return total;
}

type Walk = { start: number; hops: number[]; amount: bigint };

/**
 * The domains a walk visits, taking only agreements in `usable`: at each hop the `hops[i]`-th of
 * those leaving the current domain, then back to the start if an agreement leads there.
 */
function route(walk: Walk, usable: (from: number, to: number) => boolean): number[] {
  const path = [walk.start];
  for (const pick of walk.hops) {
    const here = path[path.length - 1];
    const next = DOMAINS.filter((to) => to !== here && usable(here, to));
    if (next.length === 0) break;
    path.push(next[pick % next.length]);
  }
  const last = path[path.length - 1];
  if (last !== walk.start && usable(last, walk.start)) path.push(walk.start);
  return path;
}

/** The walks over every drawn rate, accepted or not, on plain numbers; the largest total value reached. */
function unruledPeak(rates: Rate[], walks: Walk[], values: number[]): bigint {
  const balances = new Map(DOMAINS.map((d) => [d, START] as [number, bigint]));
  let peak = valueOf(balances, values);
  for (const walk of walks) {
    const path = route(walk, () => true);
    let carried = walk.amount < balances.get(path[0])! ? walk.amount : balances.get(path[0])!;
    for (let hop = 0; hop + 1 < path.length; hop++) {
      const [from, to] = [path[hop], path[hop + 1]];
      const rate = rates.find((r) => r.from === from && r.to === to)!;
      const out = (carried * rate.num) / rate.den;
      if (out === 0n) break;
      balances.set(from, balances.get(from)! - carried);
      balances.set(to, balances.get(to)! + out);
      carried = out;
      const value = valueOf(balances, values);
      if (value > peak) peak = value;
    }
  }
  return peak;
}

async function chainBalances(setup: LedgerSetup, resident: Signer): Promise<Map<number, bigint>> {
  const address = await resident.getAddress();
  return new Map(await Promise.all(DOMAINS.map(async (d) => [d, await setup.ledger.balanceOf(address, d)] as [number, bigint])));
}

describe("PointsLedger value rule, over random agreements and exchange loops", function () {
  this.timeout(0);

  it(`never lets a resident's total value grow (${RUNS} runs, seed ${SEED})`, async function () {
    console.log(`      seed ${SEED} (replay: LEDGER_VALUE_SEED=${SEED})`);
    const tally = { accepted: 0, refused: 0, exchanges: 0, unruledGrowth: 0 };
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ values, rates: drawn, walks }) => {
        const setup = await deployLedger({ pointValues: values });
        const { ledger, agencies } = setup;
        const resident = setup.residents[0];
        const rates: Rate[] = PAIRS.map((p, i) => ({ ...p, ...drawn[i] }));
        const inForce = new Set<string>();
        for (const r of rates) {
          const valueFrom = BigInt(values[r.from - 1]);
          const valueTo = BigInt(values[r.to - 1]);
          const propose = ledger.connect(agencies[r.from - 1]).proposeAgreement(r.from, r.to, r.num, r.den, 0, 0, OPEN);
          if (r.num * valueTo <= r.den * valueFrom) {
            await (await propose).wait();
            await (await ledger.connect(agencies[r.to - 1]).approveAgreement(agreementIdOf(r.from, r.to), 1)).wait();
            inForce.add(`${r.from}>${r.to}`);
            tally.accepted++;
          } else {
            await expect(propose)
              .to.be.revertedWithCustomError(ledger, "PointsLedgerAgreementCreatesValue")
              .withArgs(agreementIdOf(r.from, r.to), r.num, r.den, valueFrom, valueTo);
            tally.refused++;
          }
        }
        for (const d of DOMAINS) await ledger.connect(agencies[d - 1]).issue(d, await resident.getAddress(), START, 1);

        let balances = await chainBalances(setup, resident);
        const start = valueOf(balances, values);
        let last = start;
        for (const walk of walks) {
          const path = route(walk, (from, to) => inForce.has(`${from}>${to}`));
          let carried = walk.amount < balances.get(path[0])! ? walk.amount : balances.get(path[0])!;
          for (let hop = 0; hop + 1 < path.length; hop++) {
            const [from, to] = [path[hop], path[hop + 1]];
            const rate = rates.find((r) => r.from === from && r.to === to)!;
            if ((carried * rate.num) / rate.den === 0n) break;
            const intent = await exchangeIntent(ledger, resident, { fromDomain: from, toDomain: to, amountIn: carried });
            const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
            await (await ledger.exchange(intent, sig.v, sig.r, sig.s)).wait();
            tally.exchanges++;
            const after = await chainBalances(setup, resident);
            carried = after.get(to)! - balances.get(to)!;
            balances = after;
            const value = valueOf(balances, values);
            expect(value, `value after ${from} → ${to}`).to.be.at.most(last);
            last = value;
          }
        }
        expect(last).to.be.at.most(start);
        if (unruledPeak(rates, walks, values) > start) tally.unruledGrowth++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`      ${tally.accepted} rates accepted, ${tally.refused} refused, ${tally.exchanges} exchanges; without the rule ${tally.unruledGrowth} runs would have grown a resident's value`);
    // The generator reaches both sides of the rule, and the property has teeth.
    expect(tally.refused).to.be.greaterThan(0);
    expect(tally.accepted).to.be.greaterThan(0);
    expect(tally.exchanges).to.be.greaterThan(RUNS);
    expect(tally.unruledGrowth, "no run would have grown without the rule: the loops test nothing").to.be.greaterThan(0);
  });
});
