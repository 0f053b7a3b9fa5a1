/**
 * A day of the ledger that emits every kind of event: issuance (single and batch), an agreement
 * proposed, approved, suspended and replaced, exchanges, a redemption, a transfer, a domain pause,
 * a quota and a cap change through the council, and a settled period.
 */
import { ethers } from "hardhat";
import { deployLedger, DOMAIN, type LedgerSetup } from "../../helpers/deploy";
import { exchangeIntent, redeemIntent, signIntent, transferIntent } from "../../helpers/intents";
import { nextPeriod } from "./chain";

export interface Scenario {
  setup: LedgerSetup;
  /** Expected totals per domain, worked out by hand from the operations below. */
  expected: Record<number, { issued: bigint; redeemed: bigint; exchangedIn: bigint; exchangedOut: bigint }>;
  settledPeriod: number;
}

export async function runScenario(): Promise<Scenario> {
  const setup = await deployLedger({ residentCap: 10_000n });
  const { ledger, agencies, residents, partner, pauser, asCouncil } = setup;
  const [alice, bob, carol] = residents;
  const addr = (s: { getAddress(): Promise<string> }) => s.getAddress();

  // Issuance: volunteer (single + batch), transport, culture.
  await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, await addr(alice), 1_000, 1);
  await ledger.connect(agencies[0]).issueBatch(DOMAIN.volunteer, [
    { resident: await addr(bob), amount: 500, claimId: 2 },
    { resident: await addr(carol), amount: 300, claimId: 3 },
    { resident: await addr(alice), amount: 200, claimId: 256 },
  ]);
  await ledger.connect(agencies[1]).issue(DOMAIN.transport, await addr(bob), 400, 7);
  await ledger.connect(agencies[2]).issue(DOMAIN.culture, await addr(carol), 90, 1);

  // Agreement volunteer → transport at 3/7, proposed by volunteer, approved by transport.
  await ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 3, 7, 0, 0, 1_000);
  const agreementId = await ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.transport);
  await ledger.connect(agencies[1]).approveAgreement(agreementId, 1);

  const exchange = async (signer: typeof alice, amountIn: bigint) => {
    const intent = await exchangeIntent(ledger, signer, { fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn });
    const sig = await signIntent(signer, ledger, "ExchangeIntent", intent);
    await ledger.exchange(intent, sig.v, sig.r, sig.s);
  };
  await exchange(alice, 100n); // out 42
  await exchange(bob, 11n); // out 4

  // Suspension by transport, lifted by transport; then a new version at 1/2 approved by both.
  await ledger.connect(agencies[1]).setAgreementSuspended(agreementId, true);
  await ledger.connect(agencies[1]).setAgreementSuspended(agreementId, false);
  await ledger.connect(agencies[1]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 1, 2, 5_000, 0, 1_000);
  await ledger.connect(agencies[0]).approveAgreement(agreementId, 2);
  await exchange(alice, 9n); // out 4

  // Redemption at a partner of transport, and a transfer in culture (transferable).
  await ledger.connect(agencies[1]).setPartner(DOMAIN.transport, await addr(partner), true);
  const redeem = await redeemIntent(ledger, bob, { domainId: DOMAIN.transport, amount: 50n, partner: await addr(partner) });
  const redeemSig = await signIntent(bob, ledger, "RedeemIntent", redeem);
  await ledger.redeem(redeem, redeemSig.v, redeemSig.r, redeemSig.s);
  const transfer = await transferIntent(ledger, carol, { domainId: DOMAIN.culture, amount: 40n, to: await addr(alice) });
  const transferSig = await signIntent(carol, ledger, "TransferIntent", transfer);
  await ledger.transfer(transfer, transferSig.v, transferSig.r, transferSig.s);

  // Governance: pause environment and lift it, change a quota and a cap through the council.
  await ledger.connect(pauser).pauseDomain(DOMAIN.environment);
  await asCouncil("unpauseDomain", [DOMAIN.environment]);
  await asCouncil("setIssuerQuota", [DOMAIN.environment, await addr(agencies[3]), 5_000]);
  await asCouncil("setResidentCap", [DOMAIN.culture, 500]);
  await ledger.connect(agencies[3]).issue(DOMAIN.environment, await addr(alice), 70, 9);

  // Settle the period: volunteer owes transport 50 points × value 20.
  const settledPeriod = Number(await ledger.currentPeriod());
  await nextPeriod(setup.periodSeconds);
  await ledger.closePeriod(settledPeriod);
  await ledger.connect(agencies[0]).confirmSettlement(settledPeriod, DOMAIN.volunteer, ethers.id("payment-1"));
  await ledger.connect(agencies[1]).confirmSettlement(settledPeriod, DOMAIN.transport, ethers.id("payment-1"));

  return {
    setup,
    settledPeriod,
    expected: {
      1: { issued: 2_000n, redeemed: 0n, exchangedIn: 0n, exchangedOut: 120n },
      2: { issued: 400n, redeemed: 50n, exchangedIn: 50n, exchangedOut: 0n },
      3: { issued: 90n, redeemed: 0n, exchangedIn: 0n, exchangedOut: 0n },
      4: { issued: 70n, redeemed: 0n, exchangedIn: 0n, exchangedOut: 0n },
    },
  };
}
