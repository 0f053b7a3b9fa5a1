/**
 * Storage slots of the ledger's private state, as the compiler lays them out (AccessControl's
 * `_roles` takes slot 0; LedgerDomains.sol's `_paused` and `_domainCount` share slot 1, then its
 * mappings; LedgerAgreements.sol's five take 5..9; then LedgerAccounts.sol's and LedgerIssuance.sol's,
 * EIP712's two name and version fallbacks at 13 and 14, and LedgerIntents.sol's `_partners` and
 * `_paidOrders` at 15 and 16).
 * Plain arithmetic (viem), so tests on any chain use them: test/sdk/helpers/storage.ts reads and
 * writes them on Hardhat's network, test/web on the anvil node of `npm start`. Each caller checks it
 * hit the right slot against a view before writing.
 */
import { encodeAbiParameters, keccak256, type AbiParameter } from "viem";

export const SLOT = { domains: 2n, accounts: 10n, issuers: 11n, claimBitmaps: 12n, paidOrders: 16n } as const;

function mappingSlot(keyType: "address" | "uint32" | "uint256" | "bytes32", key: unknown, base: bigint): bigint {
  const types: AbiParameter[] = [{ type: keyType }, { type: "uint256" }];
  return BigInt(keccak256(encodeAbiParameters(types, [key, base])));
}

/** `_accounts[domainId][resident]`: balance in the low 96 bits. */
export function accountSlot(domainId: number, resident: string): bigint {
  return mappingSlot("address", resident, mappingSlot("uint32", domainId, SLOT.accounts));
}

/** `_issuers[domainId][issuer]`: admitted, suspended, period (uint32), quota (uint96), used (uint96), from the low byte up. */
export function issuerSlot(domainId: number, issuer: string): bigint {
  return mappingSlot("address", issuer, mappingSlot("uint32", domainId, SLOT.issuers));
}

/** `_claimBitmaps[domainId][claimId >> 8]`. */
export function claimWordSlot(domainId: number, claimId: bigint): bigint {
  return mappingSlot("uint256", claimId >> 8n, mappingSlot("uint32", domainId, SLOT.claimBitmaps));
}

/** `_paidOrders[partner][orderRef]`: 1 once the order was paid to the partner. */
export function paidOrderSlot(partner: string, orderRef: string): bigint {
  return mappingSlot("bytes32", orderRef, mappingSlot("address", partner, SLOT.paidOrders));
}

/** `_domains[domainId]`: supply (uint128), residentCap (uint64), pointValue (uint40), flags (uint8). */
export function domainSlot(domainId: number): bigint {
  return mappingSlot("uint32", domainId, SLOT.domains);
}
