import type { Hex } from "viem";
import type { RedeemIntent } from "../../eip712";
import { intentToWire, redeemRequestSchema } from "../../wire/intents";
import { checkedWire, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface RedeemPointsParameters extends WriteOptions {
  /** The resident's redemption intent in the agency's domain (build it with `buildRedeemIntent`). */
  intent: RedeemIntent;
  /** The resident's EIP-712 signature of it (`signIntent(...).signature`). */
  signature: Hex;
}

export type RedeemPointsReturnType = Operation;

/**
 * Redeems a resident's points at a partner of the agency's domain, with the resident's signed
 * intent (the signature is the resident's consent; the agency only submits it). The relay checks
 * the signature and the nonce before accepting: a wrong signature is UnauthenticatedError, a used
 * or skipped nonce ConflictError with the expected one. The partner must be registered
 * (`setPartner`), or the operation fails with PointsLedgerUnknownPartner.
 * @example
 * import { privateKeyToAccount } from "viem/accounts";
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const resident = privateKeyToAccount(process.env.RESIDENT_KEY as `0x${string}`);
 * const { balances } = await client.getBalances({ resident: resident.address });
 * const intent = buildRedeemIntent({
 *   resident: resident.address, domainId: 2, amount: 20n, partner: "0x000000000000000000000000000000000000b1e5",
 *   orderRef: referenceHash("0x5eed000000000000000000000000000000000000000000000000000000000000", "order-77"),
 *   nonce: balances.find((b) => b.domainId === 2)!.nextNonce,
 * });
 * const { signature } = await signIntent(resident, "RedeemIntent", intent, { chainId: 31337, address: process.env.LEDGER as `0x${string}` });
 * const op = await client.redeemPoints({ intent, signature });
 */
export async function redeemPoints(transport: RelayTransport, params: RedeemPointsParameters): Promise<RedeemPointsReturnType> {
  const body = checkedWire(redeemRequestSchema, { intent: intentToWire(params.intent), signature: params.signature }, "redemption");
  return writeOne(transport, "POST", "/v1/redemptions", body, params);
}
