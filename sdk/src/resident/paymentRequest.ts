/**
 * A partner's payment request, as the link (and the QR code of the link) a resident opens to pay:
 * which partner, in which domain, how many points, the order reference's salted hash, and until
 * when. The partner's page makes it; the resident's app reads it back and builds the redemption
 * intent from it, with the request's expiry as the intent's deadline, so the chain itself refuses
 * an expired request. The order reference never leaves the partner's page: only its hash
 * (`referenceHash` with a fresh salt) is in the link, and only the hash goes on chain.
 */
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";

export interface PaymentRequest {
  partner: Address;
  domainId: number;
  /** Points, in the domain's smallest unit. */
  amount: bigint;
  /** Salted hash of the partner's order reference (bytes32). */
  orderRef: Hex;
  /** Unix seconds after which the request may no longer be paid. */
  expiresAt: number;
}

/** The web app's address of the page that pays a request. */
export const PAYMENT_PATH = "/pay";

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT32 = 2 ** 32 - 1;

/** Thrown for a payment link that is not one a partner's page makes (cut short, edited, mistyped). */
export class PaymentRequestError extends Error {
  constructor(readonly field: keyof PaymentRequest | "link", message: string) {
    super(message);
    this.name = "PaymentRequestError";
  }
}

/** The query string of a payment request (no leading `?`). */
export function paymentRequestQuery(request: PaymentRequest): string {
  const checked = checkPaymentRequest(request);
  return new URLSearchParams({
    to: checked.partner,
    d: String(checked.domainId),
    a: checked.amount.toString(),
    r: checked.orderRef,
    x: String(checked.expiresAt),
  }).toString();
}

/** The full link of a payment request on the web app at `origin` (e.g. `https://points.example.city`). */
export function paymentRequestLink(origin: string, request: PaymentRequest): string {
  return `${origin.replace(/\/+$/, "")}${PAYMENT_PATH}?${paymentRequestQuery(request)}`;
}

/** Reads a payment request from a link or its query string; throws PaymentRequestError naming the bad part. */
export function parsePaymentRequest(linkOrQuery: string): PaymentRequest {
  let query = linkOrQuery.trim();
  const mark = query.indexOf("?");
  if (mark >= 0) query = query.slice(mark + 1);
  const params = new URLSearchParams(query);
  const get = (name: string, field: keyof PaymentRequest) => {
    const value = params.get(name);
    if (value === null || value === "") throw new PaymentRequestError(field, `the payment link has no ${field}`);
    return value;
  };
  const partner = get("to", "partner");
  const domain = get("d", "domainId");
  const amount = get("a", "amount");
  const orderRef = get("r", "orderRef");
  const expires = get("x", "expiresAt");
  if (!/^\d{1,10}$/.test(domain)) throw new PaymentRequestError("domainId", "the payment link's domain is not a domain number");
  if (!/^\d{1,39}$/.test(amount)) throw new PaymentRequestError("amount", "the payment link's amount is not a whole number of points");
  if (!/^\d{1,12}$/.test(expires)) throw new PaymentRequestError("expiresAt", "the payment link's expiry is not a time");
  return checkPaymentRequest({
    partner: partner as Address,
    domainId: Number(domain),
    amount: BigInt(amount),
    orderRef: orderRef as Hex,
    expiresAt: Number(expires),
  });
}

function checkPaymentRequest(request: PaymentRequest): PaymentRequest {
  if (!isAddress(request.partner, { strict: false })) throw new PaymentRequestError("partner", "the payment link's partner is not an address");
  if (!Number.isInteger(request.domainId) || request.domainId < 1 || request.domainId > MAX_UINT32) {
    throw new PaymentRequestError("domainId", "the payment link's domain is not a domain number");
  }
  if (request.amount <= 0n || request.amount > MAX_UINT128) throw new PaymentRequestError("amount", "the payment link's amount must be more than zero points");
  if (!isHex(request.orderRef, { strict: true }) || request.orderRef.length !== 66) {
    throw new PaymentRequestError("orderRef", "the payment link's order reference is not a 32-byte hash");
  }
  if (!Number.isInteger(request.expiresAt) || request.expiresAt < 1) throw new PaymentRequestError("expiresAt", "the payment link's expiry is not a time");
  return { ...request, partner: getAddress(request.partner), orderRef: request.orderRef.toLowerCase() as Hex };
}

/** Whether a request may still be paid at `nowSeconds` (the chain decides in the end, by the intent's deadline). */
export function paymentRequestOpen(request: PaymentRequest, nowSeconds: number): boolean {
  return nowSeconds <= request.expiresAt;
}
