/**
 * Random sequences of mixed operations against the reference model (test/helpers/ledgerModel.ts),
 * with invariants I1-I7 of docs/design.md checked after every step, both on the contract's own state and
 * on the ledger rebuilt from events (test/helpers/eventFold.ts). Of the residents, the last
 * PASSKEY_RESIDENTS are passkey accounts, whose intents go through the ledger's *ByPasskey entrypoints.
 *
 * Seeded and replayable: the seed is printed; rerun with LEDGER_FUZZ_SEED=<seed>. More runs with
 * LEDGER_FUZZ_RUNS=<n> (default 200 sequences of 20-30 operations).
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Log, Signer } from "ethers";
import { deployLedger, type LedgerSetup } from "../helpers/deploy";
import { nextPeriod } from "../helpers/fixtures";
import { signIntent } from "../helpers/intents";
import { newPasskey, registerPasskey, signedIntent, type TestPasskey } from "../helpers/passkeys";
import { agreementIdOf, DOMAINS, LedgerModel, POINT_VALUE, type Outcome } from "../helpers/ledgerModel";
import { EventFold } from "../helpers/eventFold";
import type { LedgerReader } from "../../typechain-types";

const RUNS = Number(process.env.LEDGER_FUZZ_RUNS ?? 200);
const SEED = process.env.LEDGER_FUZZ_SEED ? Number(process.env.LEDGER_FUZZ_SEED) : Date.now() % 2 ** 31;
const QUOTA = 2_000n;
const CAP = 400n;
/** ECDSA residents, then passkey accounts: indices 0..RESIDENTS-1, then RESIDENTS.. */
const RESIDENTS = 4;
const PASSKEY_RESIDENTS = 2;
const OPEN = 2 ** 32 - 1;

type Op =
  | { kind: "issue"; d: number; r: number; amount: bigint; claim: bigint; wrongIssuer: boolean }
  | { kind: "batch"; d: number; items: { r: number; amount: bigint; claim: bigint }[] }
  | { kind: "exchange"; r: number; from: number; to: number; amount: bigint; slack: bigint; pick: number }
  | { kind: "redeem"; r: number; d: number; amount: bigint }
  | { kind: "transfer"; r: number; to: number; d: number; amount: bigint }
  | { kind: "propose"; from: number; to: number; bySource: boolean; num: bigint; den: bigint; cap: bigint; windowed: boolean }
  | { kind: "approve"; from: number; to: number; pick: number; wrongSide: boolean }
  | { kind: "suspend"; from: number; to: number; bySource: boolean; value: boolean }
  | { kind: "pauseDomain"; d: number }
  | { kind: "unpauseDomain"; d: number }
  | { kind: "pauseAll" }
  | { kind: "unpauseAll" }
  | { kind: "advance" }
  | { kind: "close"; back: number }
  | { kind: "setCap"; d: number; cap: bigint };

const domain = fc.constantFrom(...DOMAINS);
const resident = fc.integer({ min: 0, max: RESIDENTS + PASSKEY_RESIDENTS - 1 });
const pair = fc.tuple(domain, domain).filter(([a, b]) => a !== b);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("issue" as const), d: domain, r: resident, amount: fc.bigInt(0n, 250n), claim: fc.bigInt(0n, 40n), wrongIssuer: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("batch" as const),
      d: domain,
      items: fc.array(fc.record({ r: resident, amount: fc.bigInt(1n, 200n), claim: fc.bigInt(0n, 600n) }), { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 8,
    arbitrary: pair.chain(([from, to]) =>
      fc.record({
        kind: fc.constant("exchange" as const),
        r: resident,
        from: fc.constant(from),
        to: fc.constant(to),
        amount: fc.bigInt(1n, 120n),
        slack: fc.integer({ min: 0, max: 4 }).map((n) => (n === 0 ? 1n : 0n)),
        pick: fc.nat(),
      }),
    ),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("redeem" as const), r: resident, d: domain, amount: fc.bigInt(1n, 200n) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("transfer" as const), r: resident, to: resident, d: fc.constantFrom(3, 1), amount: fc.bigInt(1n, 100n) }) },
  {
    weight: 4,
    arbitrary: pair.chain(([from, to]) =>
      fc.record({
        kind: fc.constant("propose" as const),
        from: fc.constant(from),
        to: fc.constant(to),
        bySource: fc.boolean(),
        num: fc.bigInt(1n, 5n),
        den: fc.bigInt(1n, 5n),
        cap: fc.constantFrom(0n, 150n, 500n),
        windowed: fc.boolean(),
      }),
    ),
  },
  {
    weight: 5,
    arbitrary: pair.chain(([from, to]) =>
      fc.record({
        kind: fc.constant("approve" as const),
        from: fc.constant(from),
        to: fc.constant(to),
        pick: fc.nat(),
        wrongSide: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      }),
    ),
  },
  { weight: 1, arbitrary: pair.chain(([from, to]) => fc.record({ kind: fc.constant("suspend" as const), from: fc.constant(from), to: fc.constant(to), bySource: fc.boolean(), value: fc.boolean() })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pauseDomain" as const), d: domain }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("unpauseDomain" as const), d: domain }) },
  { weight: 1, arbitrary: fc.constant({ kind: "pauseAll" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "unpauseAll" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "advance" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("close" as const), back: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setCap" as const), d: domain, cap: fc.constantFrom(0n, 100n, 400n) }) },
);

/** Where every sequence starts: each resident holds 100 points of each domain, three agreements are in force. */
const START_BALANCE = 100n;
const START_AGREEMENTS = [
  { from: 1, to: 2, num: 1n, den: 2n },
  { from: 2, to: 3, num: 2n, den: 3n },
  { from: 4, to: 1, num: 2n, den: 3n },
];

async function fuzzLedger() {
  const setup = await deployLedger({ quota: QUOTA, residentCap: CAP });
  const reader = (await ethers.deployContract("LedgerReader")) as unknown as LedgerReader;
  const { ledger, agencies } = setup;
  for (const [i, agency] of agencies.entries()) await ledger.connect(agency).setPartner(i + 1, await setup.partner.getAddress(), true);
  const passkeys: TestPasskey[] = [];
  for (let i = 0; i < PASSKEY_RESIDENTS; i++) {
    const passkey = await newPasskey();
    await registerPasskey(setup.passkeys, passkey);
    passkeys.push(passkey);
  }
  const residents = [...(await Promise.all(setup.residents.slice(0, RESIDENTS).map((r) => r.getAddress()))), ...passkeys.map((p) => p.account)];
  for (const d of DOMAINS) {
    const items = residents.map((resident, i) => ({ resident, amount: START_BALANCE, claimId: 10_000 + i }));
    await ledger.connect(agencies[d - 1]).issueBatch(d, items);
  }
  for (const a of START_AGREEMENTS) {
    await ledger.connect(agencies[a.from - 1]).proposeAgreement(a.from, a.to, a.num, a.den, 0, 0, OPEN);
    await ledger.connect(agencies[a.to - 1]).approveAgreement(agreementIdOf(a.from, a.to), 1);
  }
  // Events from the deployment itself (domains, quotas) start the fold.
  const deployLogs = (await setup.ledger.deploymentTransaction()!.wait())!.logs;
  const setupLogs: Log[] = [...deployLogs];
  const fromBlock = (await setup.ledger.deploymentTransaction()!.wait())!.blockNumber + 1;
  setupLogs.push(...(await ethers.provider.getLogs({ address: await setup.ledger.getAddress(), fromBlock })));
  return { ...setup, reader, setupLogs, passkeyResidents: passkeys, residentAddresses: residents };
}

/** Outcomes per operation kind, printed so a run shows it exercised successes and failures alike. */
const tally = new Map<string, { ok: number; reverted: number }>();
function count(kind: string, expected: Outcome): void {
  const t = tally.get(kind) ?? { ok: 0, reverted: 0 };
  if (expected.ok) t.ok++;
  else t.reverted++;
  tally.set(kind, t);
}

interface Run {
  setup: LedgerSetup & { reader: LedgerReader; setupLogs: Log[]; passkeyResidents: TestPasskey[] };
  model: LedgerModel;
  fold: EventFold;
  /** The ECDSA residents' signers (indices below RESIDENTS). */
  residents: Signer[];
  /** Every resident's address: the ECDSA ones, then the passkey accounts. */
  addresses: string[];
  partner: string;
  steps: number;
}

/** Sends a transaction the model predicted; checks the revert name or folds the logs on success. */
async function expectOutcome(run: Run, expected: Outcome, send: () => Promise<ContractTransactionResponse>, what: string): Promise<void> {
  count(what.split(" ")[0], expected);
  if (process.env.FUZZ_DEBUG && !expected.ok) console.log("   ", what.split(" ")[0], expected.error);
  if (expected.ok) {
    const receipt = await (await send()).wait();
    run.fold.fold(receipt!.logs);
  } else {
    await expect(send(), what).to.be.revertedWithCustomError(run.setup.ledger, expected.error);
  }
}

/** Council changes go through a proposal; a failure surfaces as CityCouncilCallFailed. */
async function expectCouncil(run: Run, expected: Outcome, method: string, args: unknown[]): Promise<void> {
  count(method, expected);
  if (expected.ok) {
    const receipt = await (await run.setup.asCouncil(method, args)).wait();
    run.fold.fold(receipt!.logs);
  } else {
    await expect(run.setup.asCouncil(method, args), method).to.be.revertedWithCustomError(run.setup.council, "CityCouncilCallFailed");
  }
}

/** The passkey of resident `r`, if it is one of the passkey accounts. */
function passkeyOf(run: Run, r: number): TestPasskey | undefined {
  return r >= RESIDENTS ? run.setup.passkeyResidents[r - RESIDENTS] : undefined;
}

/** Counts intents by how they were authorised, so a run shows passkey accounts took part. */
const byPasskey = { ok: 0, reverted: 0 };

async function apply(run: Run, generated: Op): Promise<void> {
  const { ledger, agencies, pauser } = run.setup;
  const { model } = run;
  const addr = (i: number) => run.addresses[i];
  const agencyOf = (d: number) => agencies[d - 1];
  const op = retarget(run, generated);
  switch (op.kind) {
    case "issue": {
      const issuer = op.wrongIssuer ? agencyOf((op.d % 4) + 1) : agencyOf(op.d);
      const expected = model.issue(op.d, addr(op.r), op.amount, op.claim, !op.wrongIssuer);
      return expectOutcome(run, expected, () => ledger.connect(issuer).issue(op.d, addr(op.r), op.amount, op.claim), `issue ${JSON.stringify(op, big)}`);
    }
    case "batch": {
      const items = op.items.map((i) => ({ resident: addr(i.r), amount: i.amount, claimId: i.claim }));
      const expected = model.issueBatch(op.d, items, true);
      return expectOutcome(run, expected, () => ledger.connect(agencyOf(op.d)).issueBatch(op.d, items), "batch");
    }
    case "exchange": {
      const signer = run.residents[op.r];
      const quote = model.termsInForce(op.from, op.to).terms;
      const fair = quote ? (op.amount * quote.rateNum) / quote.rateDen : 0n;
      const intent = {
        resident: addr(op.r) as `0x${string}`,
        fromDomain: op.from,
        toDomain: op.to,
        amountIn: op.amount,
        minAmountOut: fair + op.slack,
        nonce: model.nonce(op.from, addr(op.r)),
        deadline: 2n ** 40n,
      };
      const expected = model.exchange(addr(op.r), op.from, op.to, op.amount, intent.minAmountOut);
      const passkey = passkeyOf(run, op.r);
      if (passkey) {
        const { encoded } = await signedIntent(ledger, passkey, "ExchangeIntent", intent);
        byPasskey[expected.ok ? "ok" : "reverted"]++;
        return expectOutcome(run, expected, () => ledger.exchangeByPasskey(intent, encoded), "exchange");
      }
      const sig = await signIntent(signer, ledger, "ExchangeIntent", intent);
      return expectOutcome(run, expected, () => ledger.exchange(intent, sig.v, sig.r, sig.s), "exchange");
    }
    case "redeem": {
      const intent = {
        resident: addr(op.r) as `0x${string}`,
        domainId: op.d,
        amount: op.amount,
        partner: run.partner as `0x${string}`,
        orderRef: ethers.id(`order-${run.steps}`) as `0x${string}`,
        nonce: model.nonce(op.d, addr(op.r)),
        deadline: 2n ** 40n,
      };
      const expected = model.redeem(addr(op.r), op.d, op.amount, run.partner);
      const passkey = passkeyOf(run, op.r);
      if (passkey) {
        const { encoded } = await signedIntent(ledger, passkey, "RedeemIntent", intent);
        byPasskey[expected.ok ? "ok" : "reverted"]++;
        return expectOutcome(run, expected, () => ledger.redeemByPasskey(intent, encoded), "redeem");
      }
      const sig = await signIntent(run.residents[op.r], ledger, "RedeemIntent", intent);
      return expectOutcome(run, expected, () => ledger.redeem(intent, sig.v, sig.r, sig.s), "redeem");
    }
    case "transfer": {
      const intent = {
        resident: addr(op.r) as `0x${string}`,
        domainId: op.d,
        to: addr(op.to) as `0x${string}`,
        amount: op.amount,
        nonce: model.nonce(op.d, addr(op.r)),
        deadline: 2n ** 40n,
      };
      const expected = model.transfer(addr(op.r), op.d, addr(op.to), op.amount);
      const passkey = passkeyOf(run, op.r);
      if (passkey) {
        const { encoded } = await signedIntent(ledger, passkey, "TransferIntent", intent);
        byPasskey[expected.ok ? "ok" : "reverted"]++;
        return expectOutcome(run, expected, () => ledger.transferByPasskey(intent, encoded), "transfer");
      }
      const sig = await signIntent(run.residents[op.r], ledger, "TransferIntent", intent);
      return expectOutcome(run, expected, () => ledger.transfer(intent, sig.v, sig.r, sig.s), "transfer");
    }
    case "propose": {
      const side = op.bySource ? op.from : op.to;
      const [validFrom, validUntil] = op.windowed ? [model.period, model.period + 1] : [0, OPEN];
      const terms = { rateNum: op.num, rateDen: op.den, periodCap: op.cap, validFrom, validUntil };
      const expected = model.propose(op.from, op.to, side, terms);
      return expectOutcome(
        run,
        expected,
        () => ledger.connect(agencyOf(side)).proposeAgreement(op.from, op.to, op.num, op.den, op.cap, validFrom, validUntil),
        "propose",
      );
    }
    case "approve": {
      const state = model.agreements.get(agreementIdOf(op.from, op.to))?.pending;
      const sourceApproved = state?.approvedByFrom ?? false;
      const side = sourceApproved !== op.wrongSide ? op.to : op.from;
      const version = model.agreements.get(agreementIdOf(op.from, op.to))?.pending?.version ?? 1;
      const expected = model.approve(op.from, op.to, side, version);
      return expectOutcome(run, expected, () => ledger.connect(agencyOf(side)).approveAgreement(agreementIdOf(op.from, op.to), version), "approve");
    }
    case "suspend": {
      const side = op.bySource ? op.from : op.to;
      const expected = model.suspend(op.from, op.to, side, op.value);
      return expectOutcome(run, expected, () => ledger.connect(agencyOf(side)).setAgreementSuspended(agreementIdOf(op.from, op.to), op.value), "suspend");
    }
    case "pauseDomain": {
      const expected: Outcome = model.domainPaused.get(op.d) ? { ok: false, error: "PointsLedgerDomainPaused" } : { ok: true };
      if (expected.ok) model.domainPaused.set(op.d, true);
      return expectOutcome(run, expected, () => ledger.connect(pauser).pauseDomain(op.d), "pauseDomain");
    }
    case "unpauseDomain": {
      const expected: Outcome = model.domainPaused.get(op.d) ? { ok: true } : { ok: false, error: "" };
      if (expected.ok) model.domainPaused.set(op.d, false);
      return expectCouncil(run, expected, "unpauseDomain", [op.d]);
    }
    case "pauseAll": {
      const expected: Outcome = model.paused ? { ok: false, error: "PointsLedgerPaused" } : { ok: true };
      model.paused = true;
      return expectOutcome(run, expected, () => ledger.connect(pauser).pause(), "pause");
    }
    case "unpauseAll": {
      const expected: Outcome = model.paused ? { ok: true } : { ok: false, error: "" };
      model.paused = false;
      return expectCouncil(run, expected, "unpause", []);
    }
    case "advance":
      await nextPeriod(run.setup);
      model.period += 1;
      return;
    case "close": {
      const period = Math.max(0, model.period - op.back);
      const expected = model.close(period);
      return expectOutcome(run, expected, () => ledger.closePeriod(period), "close");
    }
    case "setCap":
      model.residentCap.set(op.d, op.cap);
      return expectCouncil(run, { ok: true }, "setResidentCap", [op.d, op.cap]);
  }
}

/**
 * Points some generated operations at the current state, so that enough of them succeed: exchanges
 * mostly along an agreement in force, approvals mostly of a pending version, unpauses mostly of a
 * paused domain. The rest keep their random target and exercise the failures.
 */
function retarget(run: Run, op: Op): Op {
  const { model } = run;
  const pairOf = (id: bigint) => ({ from: Number(id >> 32n), to: Number(id & 0xffffffffn) });
  if (op.kind === "exchange") {
    const inForce = [...model.agreements].filter(([, a]) => a.current).map(([id]) => id);
    if (inForce.length > 0 && op.pick % 5 !== 0) return { ...op, ...pairOf(inForce[op.pick % inForce.length]) };
  }
  if (op.kind === "approve") {
    const pending = [...model.agreements].filter(([, a]) => a.pending).map(([id]) => id);
    if (pending.length > 0) return { ...op, ...pairOf(pending[op.pick % pending.length]) };
  }
  if (op.kind === "unpauseDomain") {
    const paused = DOMAINS.filter((d) => model.domainPaused.get(d));
    if (paused.length > 0 && op.d !== 4) return { ...op, d: paused[op.d % paused.length] };
  }
  return op;
}

/** I1-I7 on the contract's own state, the model and the ledger rebuilt from events. */
async function checkInvariants(run: Run, step: string): Promise<void> {
  const { ledger, reader } = run.setup;
  const { model, fold } = run;
  expect(fold.violations, `${step}: event-rebuilt ledger`).to.deep.equal([]);
  const [balances, nonces] = await reader.snapshot(await ledger.getAddress(), run.addresses, DOMAINS.length);
  for (const [i, r] of run.addresses.entries()) {
    for (const d of DOMAINS) {
      const onChain = balances[i * DOMAINS.length + d - 1];
      // I2: the contract's balance equals the model's and the one rebuilt from events.
      expect(onChain, `${step}: balance ${d}:${i}`).to.equal(model.balance(d, r));
      expect(fold.balances.get(`${d}:${r}`) ?? 0n, `${step}: rebuilt balance ${d}:${i}`).to.equal(onChain);
      // I4: nonces advance one by one, as the model counted.
      expect(nonces[i * DOMAINS.length + d - 1], `${step}: nonce ${d}:${i}`).to.equal(model.nonce(d, r));
    }
  }
  for (const d of DOMAINS) {
    // I1: sum of balances = issued - redeemed - exchanged out + exchanged in = the contract's supply.
    const supply = (await ledger.domain(d)).supply;
    const f = fold.flows.get(d) ?? { issued: 0n, redeemed: 0n, out: 0n, in: 0n };
    expect(supply, `${step}: supply ${d}`).to.equal(model.supply(d));
    expect(f.issued - f.redeemed - f.out + f.in, `${step}: flows ${d}`).to.equal(supply);
  }
  // I6: every closed period's positions sum to zero and match the model's netting.
  for (const period of model.closed) {
    let sum = 0n;
    for (const d of DOMAINS) {
      const net = (await ledger.settlementPosition(period, d)).net;
      expect(net, `${step}: position ${period}:${d}`).to.equal(model.positions.get(`${period}:${d}`) ?? 0n);
      sum += net;
    }
    expect(sum, `${step}: period ${period} nets`).to.equal(0n);
  }
}

function big(_: string, v: unknown) {
  return typeof v === "bigint" ? v.toString() : v;
}

describe("PointsLedger random sequences against the reference model", function () {
  this.timeout(0);

  it(`keeps I1-I7 after every step of ${RUNS} sequences of 20-30 operations (seed ${SEED})`, async function () {
    console.log(`      seed ${SEED} (replay: LEDGER_FUZZ_SEED=${SEED})`);
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 30 }), async (ops) => {
        const setup = await loadFixture(fuzzLedger);
        const residents = setup.residents.slice(0, RESIDENTS);
        const run: Run = {
          setup,
          model: new LedgerModel(QUOTA, CAP),
          fold: new EventFold(setup.ledger),
          residents,
          addresses: setup.residentAddresses,
          partner: await setup.partner.getAddress(),
          steps: 0,
        };
        for (const d of DOMAINS) {
          run.model.partners.add(`${d}:${run.partner}`);
          const items = run.addresses.map((resident, i) => ({ resident, amount: START_BALANCE, claimId: BigInt(10_000 + i) }));
          expect(run.model.issueBatch(d, items, true).ok).to.equal(true);
        }
        for (const a of START_AGREEMENTS) {
          run.model.propose(a.from, a.to, a.from, { rateNum: a.num, rateDen: a.den, periodCap: 0n, validFrom: 0, validUntil: OPEN });
          expect(run.model.approve(a.from, a.to, a.to, 1).ok).to.equal(true);
        }
        run.fold.fold(setup.setupLogs);
        for (const [i, op] of ops.entries()) {
          run.steps = i;
          await apply(run, op);
          await checkInvariants(run, `step ${i} ${op.kind}`);
          steps++;
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`      ${steps} steps; ok/reverted per operation: ${[...tally].map(([k, t]) => `${k} ${t.ok}/${t.reverted}`).join(", ")}`);
    console.log(`      passkey-authorised intents ok/reverted: ${byPasskey.ok}/${byPasskey.reverted}`);
    expect(steps).to.be.greaterThanOrEqual(RUNS * 20);
    expect(byPasskey.ok, "no passkey-authorised intent succeeded").to.be.greaterThan(0);
    for (const kind of ["issue", "batch", "exchange", "redeem", "transfer", "propose", "approve", "close"]) {
      expect(tally.get(kind)?.ok ?? 0, `${kind} never succeeded`).to.be.greaterThan(0);
    }
    expect(POINT_VALUE(2)).to.equal((await (await loadFixture(fuzzLedger)).ledger.domain(2)).pointValue);
  });
});
