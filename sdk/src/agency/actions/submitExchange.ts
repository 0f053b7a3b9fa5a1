import type { Hex } from "viem";
import type { ExchangeIntent } from "../../eip712";
import { exchangeRequestSchema, intentToWire } from "../../wire/intents";
import { checkedWire, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface SubmitExchangeParameters extends WriteOptions {
  /** The resident's exchange intent (build it with `buildExchangeIntent`, minAmountOut from a quote). */
  intent: ExchangeIntent;
  signature: Hex;
}

export type SubmitExchangeReturnType = Operation;

/**
 * Hands a resident's signed exchange intent to the relay, as the resident's city app does (the
 * route needs no agency credentials: the resident's signature authorises it). An agency uses it
 * when it runs the resident-facing app itself.
 * @example
 * import { privateKeyToAccount } from "viem/accounts";
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const resident = privateKeyToAccount(process.env.RESIDENT_KEY as `0x${string}`);
 * const quote = await client.getQuote({ fromDomain: 1, toDomain: 2, amountIn: 100n });
 * const { balances } = await client.getBalances({ resident: resident.address });
 * const intent = buildExchangeIntent({
 *   resident: resident.address, fromDomain: 1, toDomain: 2, amountIn: 100n, minAmountOut: quote.amountOut,
 *   nonce: balances.find((b) => b.domainId === 1)!.nextNonce,
 * });
 * const { signature } = await signIntent(resident, "ExchangeIntent", intent, { chainId: 31337, address: process.env.LEDGER as `0x${string}` });
 * const op = await client.waitForOperation(await client.submitExchange({ intent, signature }));
 */
export async function submitExchange(transport: RelayTransport, params: SubmitExchangeParameters): Promise<SubmitExchangeReturnType> {
  const body = checkedWire(exchangeRequestSchema, { intent: intentToWire(params.intent), signature: params.signature }, "exchange");
  return writeOne(transport, "POST", "/v1/exchanges", body, params);
}
