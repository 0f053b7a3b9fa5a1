/**
 * The one definition of residents' EIP-712 intents. The ledger's `IntentHashes.sol`, the relay, the
 * tests and resident apps all sign or verify against these types; a test checks that the type
 * hashes here equal the contract's.
 */
import type { Address, Hex } from "viem";

export const LEDGER_EIP712_NAME = "CityPointsLedger";
export const LEDGER_EIP712_VERSION = "1";

export const exchangeIntentType = [
  { name: "resident", type: "address" },
  { name: "fromDomain", type: "uint32" },
  { name: "toDomain", type: "uint32" },
  { name: "amountIn", type: "uint128" },
  { name: "minAmountOut", type: "uint128" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

export const redeemIntentType = [
  { name: "resident", type: "address" },
  { name: "domainId", type: "uint32" },
  { name: "amount", type: "uint128" },
  { name: "partner", type: "address" },
  { name: "orderRef", type: "bytes32" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

export const transferIntentType = [
  { name: "resident", type: "address" },
  { name: "domainId", type: "uint32" },
  { name: "to", type: "address" },
  { name: "amount", type: "uint128" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
] as const;

/** Types keyed by primary type, in the shape both viem and ethers' `signTypedData` take. */
export const intentTypes = {
  ExchangeIntent: exchangeIntentType,
  RedeemIntent: redeemIntentType,
  TransferIntent: transferIntentType,
} as const;

export type IntentKind = keyof typeof intentTypes;

export interface ExchangeIntent {
  resident: Address;
  fromDomain: number;
  toDomain: number;
  amountIn: bigint;
  minAmountOut: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface RedeemIntent {
  resident: Address;
  domainId: number;
  amount: bigint;
  partner: Address;
  orderRef: Hex;
  nonce: bigint;
  deadline: bigint;
}

export interface TransferIntent {
  resident: Address;
  domainId: number;
  to: Address;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface IntentMessages {
  ExchangeIntent: ExchangeIntent;
  RedeemIntent: RedeemIntent;
  TransferIntent: TransferIntent;
}

export interface LedgerEip712Domain {
  name: typeof LEDGER_EIP712_NAME;
  version: typeof LEDGER_EIP712_VERSION;
  chainId: number;
  verifyingContract: Address;
}

/** The EIP-712 domain a ledger deployment verifies intents under. */
export function ledgerDomain(chainId: number | bigint, verifyingContract: Address): LedgerEip712Domain {
  return { name: LEDGER_EIP712_NAME, version: LEDGER_EIP712_VERSION, chainId: Number(chainId), verifyingContract };
}

/** The EIP-712 type string of an intent, as the contract hashes it. */
export function intentTypeString(kind: IntentKind): string {
  return `${kind}(${intentTypes[kind].map((f) => `${f.type} ${f.name}`).join(",")})`;
}
