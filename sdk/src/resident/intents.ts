/**
 * Building residents' intents and their EIP-712 typed data, from the one type definition in
 * sdk/src/eip712.ts. A built intent is validated against the ledger's limits, so an app learns of
 * a bad amount before asking the resident to sign.
 */
import type { Address } from "viem";
import { InvalidIntentError } from "../errors/intent";
import { intentSchemas, type IntentInput } from "./schema";
import {
  intentTypes,
  ledgerDomain,
  type IntentKind,
  type IntentMessages,
  type LedgerEip712Domain,
} from "../eip712";

/** Seconds an intent stays valid when no deadline is given: long enough for the relay to submit it. */
export const DEFAULT_INTENT_TTL_SECONDS = 15 * 60;

/** Validates and normalises an intent (checksummed addresses, bigint amounts). */
export function parseIntent<K extends IntentKind>(kind: K, input: IntentInput<K>): IntentMessages[K] {
  const result = intentSchemas[kind].safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(intent)"}: ${i.message}`);
    throw new InvalidIntentError(`Invalid ${kind}: ${problems.join("; ")}.`, { details: { kind, problems } });
  }
  return result.data as IntentMessages[K];
}

/** An intent's fields, with the deadline optional (default: {@link DEFAULT_INTENT_TTL_SECONDS} from now). */
export type IntentFields<K extends IntentKind> = Omit<IntentInput<K>, "deadline"> & { deadline?: IntentInput<K>["deadline"] };

/** A deadline `ttlSeconds` from now (unix seconds), as intents carry it. */
export function deadlineIn(ttlSeconds: number = DEFAULT_INTENT_TTL_SECONDS, now: number = Date.now() / 1000): bigint {
  return BigInt(Math.floor(now + ttlSeconds));
}

/** An exchange intent; `minAmountOut` should come from {@link quoteExchange} so a rate change cannot surprise the resident. */
export function buildExchangeIntent(input: IntentFields<"ExchangeIntent">): IntentMessages["ExchangeIntent"] {
  return parseIntent("ExchangeIntent", { ...input, deadline: input.deadline ?? deadlineIn() });
}

export function buildRedeemIntent(input: IntentFields<"RedeemIntent">): IntentMessages["RedeemIntent"] {
  return parseIntent("RedeemIntent", { ...input, deadline: input.deadline ?? deadlineIn() });
}

export function buildTransferIntent(input: IntentFields<"TransferIntent">): IntentMessages["TransferIntent"] {
  return parseIntent("TransferIntent", { ...input, deadline: input.deadline ?? deadlineIn() });
}

export interface IntentTypedData<K extends IntentKind> {
  domain: LedgerEip712Domain;
  types: { [P in K]: (typeof intentTypes)[P] };
  primaryType: K;
  message: IntentMessages[K];
}

/** The EIP-712 typed data of an intent for a ledger deployment (chain id + ledger address). */
export function intentTypedData<K extends IntentKind>(
  kind: K,
  message: IntentMessages[K],
  ledger: { chainId: number | bigint; address: Address },
): IntentTypedData<K> {
  return {
    domain: ledgerDomain(ledger.chainId, ledger.address),
    types: { [kind]: intentTypes[kind] } as IntentTypedData<K>["types"],
    primaryType: kind,
    message,
  };
}
