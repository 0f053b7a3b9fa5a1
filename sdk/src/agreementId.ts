/**
 * An agreement's id is the ordered pair of domains it exchanges between, packed as the ledger packs
 * it (`_agreementId` in LedgerAgreements.sol): `uint64(fromDomain) << 32 | toDomain`, both domain ids
 * being uint32. This module is the one place off chain that packs or unpacks it, as Uniswap v4-core's
 * `PoolId` is for pools: the SDK, the auditor, the relay, the scripts and the tests all use it.
 */

declare const agreementIdBrand: unique symbol;

/** A packed agreement id (a uint64). At run time a plain bigint; the type says what it holds. */
export type AgreementId = bigint & { readonly [agreementIdBrand]: "AgreementId" };

/**
 * The agreement id of an ordered pair of domains.
 * @example
 * agreementIdOf(1, 2); // 4294967298n: volunteer points into transport points
 */
export function agreementIdOf(fromDomain: number, toDomain: number): AgreementId {
  return ((BigInt(fromDomain) << 32n) | BigInt(toDomain)) as AgreementId;
}

/**
 * The domains an agreement id joins: the high 32 bits are the domain points leave, the low 32 the
 * domain they arrive in (`_domainsOf` in LedgerAgreements.sol).
 * @example
 * agreementDomains(4294967298n); // { fromDomain: 1, toDomain: 2 }
 */
export function agreementDomains(agreementId: bigint): { fromDomain: number; toDomain: number } {
  return { fromDomain: Number(agreementId >> 32n), toDomain: Number(agreementId & 0xffffffffn) };
}

/** An agreement id read from the chain or from the relay (decimal string), as the typed value. */
export function asAgreementId(value: bigint | string): AgreementId {
  return BigInt(value) as AgreementId;
}
