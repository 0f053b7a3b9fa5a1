/**
 * Every way a resident's sign-up, sign-in, exchange or payment can be refused, in plain words: the
 * one place that maps the SDK's error classes, the relay's error codes (server/errors.ts) and the
 * ledger's custom errors (an operation's failure, or a quote's revert) to a message key. A raw
 * error or code is never shown.
 */
import { ContractRevertError, InvalidIntentError, PasskeyUnavailableError, PaymentRequestError } from "@city-points/sdk/resident";
import { ApiError } from "../api/client";
import type { MessageKey } from "../i18n/i18n";
import { UnknownPasskeyError } from "./passkey";
import { OperationFailed, RelayRefusal } from "./relay";

/** The ledger's errors a resident can meet, by name (IPointsLedger.sol; PointsLedgerOrderAlreadyPaid comes with the checkout's order references). */
const LEDGER_ERRORS: Record<string, MessageKey> = {
  PointsLedgerInsufficientBalance: "refusal.balance",
  PointsLedgerSlippage: "refusal.slippage",
  PointsLedgerAgreementCapExceeded: "refusal.cap",
  PointsLedgerAgreementNotInForce: "refusal.notInForce",
  PointsLedgerNoAgreement: "refusal.noAgreement",
  PointsLedgerExchangeTooSmall: "refusal.tooSmall",
  PointsLedgerExpiredSignature: "refusal.expired",
  PointsLedgerInvalidNonce: "refusal.nonce",
  PointsLedgerUnknownPartner: "refusal.unknownPartner",
  PointsLedgerOrderAlreadyPaid: "refusal.alreadyPaid",
  PointsLedgerResidentCapExceeded: "refusal.residentCap",
  PointsLedgerPaused: "refusal.paused",
  PointsLedgerDomainPaused: "refusal.paused",
  PointsLedgerUnknownDomain: "refusal.unknownDomain",
  PointsLedgerZeroAmount: "refusal.tooSmall",
};

const RELAY_CODES: Record<string, MessageKey> = {
  rate_limited: "refusal.busy",
  queue_full: "refusal.busy",
  chain_unavailable: "refusal.unavailable",
  unauthenticated: "refusal.passkey",
  conflict: "refusal.nonce",
};

const PAYMENT_FIELDS: Record<PaymentRequestError["field"], MessageKey> = {
  partner: "refusal.link.partner",
  domainId: "refusal.link.domain",
  amount: "refusal.link.amount",
  orderRef: "refusal.link.orderRef",
  expiresAt: "refusal.link.expiry",
  link: "refusal.link.other",
};

export function refusalOf(error: unknown): MessageKey {
  if (error instanceof OperationFailed) return LEDGER_ERRORS[error.errorName] ?? "refusal.other";
  if (error instanceof ContractRevertError) return (error.errorName && LEDGER_ERRORS[error.errorName]) || "refusal.other";
  if (error instanceof PaymentRequestError) return PAYMENT_FIELDS[error.field];
  if (error instanceof PasskeyUnavailableError) return "refusal.cancelled";
  if (error instanceof UnknownPasskeyError) return "refusal.unknownPasskey";
  if (error instanceof InvalidIntentError) return "refusal.invalid";
  if (error instanceof RelayRefusal) {
    if (error.code === "invalid_request" && /deadline/.test(error.message)) return "refusal.expired";
    return RELAY_CODES[error.code] ?? (error.status >= 500 ? "refusal.unavailable" : "refusal.other");
  }
  if (error instanceof ApiError) return error.kind === "network" ? "refusal.network" : error.kind === "rate_limited" ? "refusal.busy" : "refusal.unavailable";
  if (error instanceof Error && error.name === "NotAllowedError") return "refusal.cancelled";
  if (error instanceof TypeError) return "refusal.network";
  return "refusal.other";
}
