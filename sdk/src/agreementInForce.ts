/**
 * When an agreement is in force, as the ledger decides it (`_termsInForce` in LedgerAgreements.sol):
 * a version approved by both sides exists, neither side has suspended it, and the period lies
 * within that version's window. The relay's agreement list and the auditor's check of exchanges
 * (I3) both ask these questions here.
 */

/** The validity window of an agreement's version, in settlement periods (both ends included). */
export interface AgreementWindow {
  validFromPeriod: number;
  validUntilPeriod: number;
}

/** Either side's suspension. */
export interface AgreementSuspension {
  suspendedByFrom: boolean;
  suspendedByTo: boolean;
}

/** Whether `period` lies within the version's window. */
export function isWithinValidity(terms: AgreementWindow, period: number): boolean {
  return period >= terms.validFromPeriod && period <= terms.validUntilPeriod;
}

/** Whether either side has suspended the agreement. */
export function isSuspended(agreement: AgreementSuspension): boolean {
  return agreement.suspendedByFrom || agreement.suspendedByTo;
}

/**
 * Whether an exchange in `period` may use the agreement: `current` is its version approved by
 * both sides (undefined while none is).
 * @example
 * isAgreementInForce({ current: { validFromPeriod: 0, validUntilPeriod: 10 }, suspendedByFrom: false, suspendedByTo: false }, 3); // true
 */
export function isAgreementInForce(agreement: AgreementSuspension & { current?: AgreementWindow }, period: number): boolean {
  return agreement.current !== undefined && !isSuspended(agreement) && isWithinValidity(agreement.current, period);
}
