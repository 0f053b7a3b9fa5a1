/**
 * The resident's two payments, each signed with the passkey and followed until final: an exchange
 * at the quote the resident saw (its amountOut is the intent's minAmountOut, so a worse rate is
 * refused by the chain, not taken), and a payment of a partner's request (its expiry is the
 * intent's deadline and its order reference the intent's orderRef).
 */
import {
  buildExchangeIntent,
  buildRedeemIntent,
  deadlineIn,
  signIntentWithPasskey,
  type ExchangeQuote,
  type PaymentRequest,
} from "@city-points/sdk/resident";
import { intentToWire, type Operation } from "@city-points/sdk/wire";
import { followOperation, getDeployment, postJson, residentApi } from "./relay";
import type { ResidentSession } from "./passkey";

async function nextNonce(session: ResidentSession, domainId: number): Promise<bigint> {
  const { balances } = await residentApi.balances(session.account);
  return BigInt(balances.find((b) => b.domainId === domainId)?.nextNonce ?? "0");
}

export async function exchangeAtQuote(session: ResidentSession, quote: ExchangeQuote, fromDomain: number, toDomain: number): Promise<Operation> {
  const { chainId, ledger } = await getDeployment();
  const intent = buildExchangeIntent({
    resident: session.account,
    fromDomain,
    toDomain,
    amountIn: quote.amountIn,
    minAmountOut: quote.amountOut,
    nonce: await nextNonce(session, fromDomain),
    deadline: deadlineIn(),
  });
  const signed = await signIntentWithPasskey("ExchangeIntent", intent, { chainId, address: ledger as `0x${string}` }, { credential: session });
  const op = await postJson("/v1/exchanges", { intent: intentToWire(intent), passkey: signed.passkey }, `exchange-${signed.digest}`);
  return followOperation(op.id);
}

/** The resident's passkey signature of a redemption paying `request` (the wallet posts it alone, a station with its staff's stamp). */
export async function signPayment(session: ResidentSession, request: PaymentRequest) {
  const { chainId, ledger } = await getDeployment();
  const intent = buildRedeemIntent({
    resident: session.account,
    domainId: request.domainId,
    amount: request.amount,
    partner: request.partner,
    orderRef: request.orderRef,
    nonce: await nextNonce(session, request.domainId),
    deadline: BigInt(request.expiresAt),
  });
  return signIntentWithPasskey("RedeemIntent", intent, { chainId, address: ledger as `0x${string}` }, { credential: session });
}

export async function payRequest(session: ResidentSession, request: PaymentRequest): Promise<Operation> {
  const signed = await signPayment(session, request);
  const op = await postJson("/v1/resident/redemptions", { intent: intentToWire(signed.message), passkey: signed.passkey }, `redeem-${signed.digest}`);
  return followOperation(op.id);
}
