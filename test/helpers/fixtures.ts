import { time } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger, DOMAIN, type LedgerSetup } from "./deploy";

/** The city's ledger as deployed: four domains, one issuer each, no cap, daily periods. */
export async function cityLedger(): Promise<LedgerSetup> {
  return deployLedger();
}

/**
 * As `cityLedger`, with a 1 → 2 agreement (rate 2/5, no cap, open window) in force: 2 × 20 (transport's
 * point value) ≤ 5 × 10 (volunteer's), as the value rule requires.
 */
export async function cityLedgerWithAgreement(): Promise<LedgerSetup & { agreementId: bigint }> {
  const setup = await deployLedger();
  const { ledger, agencies } = setup;
  await ledger.connect(agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 2, 5, 0, 0, 2 ** 32 - 1);
  const agreementId = await ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.transport);
  await ledger.connect(agencies[1]).approveAgreement(agreementId, 1);
  return { ...setup, agreementId };
}

/** Moves the chain's clock to the start of the next period (plus `n - 1` more). */
export async function nextPeriod(setup: LedgerSetup, n = 1): Promise<void> {
  const genesis = await setup.ledger.GENESIS_TIME();
  const current = await setup.ledger.currentPeriod();
  await time.increaseTo(genesis + (current + BigInt(n)) * BigInt(setup.periodSeconds));
}
