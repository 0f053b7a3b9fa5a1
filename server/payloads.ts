/**
 * What each kind of operation carries, as the journal keeps it (JSON: bigints as decimal strings):
 * one union discriminated by kind. The services build it, chain/calls.ts turns it into the ledger
 * call, the batch simulation reads issuances from it.
 */
import type { Address, Hex } from "viem";
import type { ExchangeIntent, RedeemIntent } from "../sdk/src/eip712";
import type { IntentAuthorisation, WireIntent } from "../sdk/src/wire/intents";
import type { OperationKind } from "../sdk/src/wire/operations";
import type { NewOperation, OperationRecord } from "./store/journal";
import type { StationStampPayload } from "./services/stations";

/** A uint256 (or uint64) as a decimal string. */
type Decimal = string;

/** Each kind's payload: the ledger call's inputs that the operation's other fields do not hold. */
export type PayloadOf = {
  /** issueBatch item; the domain and claim id are the operation's own fields. */
  issue: { resident: Address; amount: Decimal };
  /** `signature` for an ECDSA account, `passkey` (the WebAuthn assertion) for a passkey account. */
  exchange: { intent: WireIntent<ExchangeIntent> } & IntentAuthorisation;
  redeem: { intent: WireIntent<RedeemIntent> } & IntentAuthorisation;
  /** PasskeyAccounts.register; the credential id as hex bytes. */
  "passkey.register": { qx: Hex; qy: Hex; credentialId: Hex };
  /** CommunityStations.redeemAssisted / exchangeAssisted: the resident's passkey assertion and the staff stamp. */
  "station.redeem": { intent: WireIntent<RedeemIntent>; passkey: NonNullable<IntentAuthorisation["passkey"]>; station: StationStampPayload };
  "station.exchange": { intent: WireIntent<ExchangeIntent>; passkey: NonNullable<IntentAuthorisation["passkey"]>; station: StationStampPayload };
  /** CommunityStations.enrolAssisted: a new card's registration and the staff stamp. */
  "station.enrol": { qx: Hex; qy: Hex; credentialId: Hex; station: StationStampPayload };
  "agreement.propose": {
    fromDomain: number;
    toDomain: number;
    rateNum: number;
    rateDen: number;
    periodCap: Decimal;
    validFromPeriod: number;
    validUntilPeriod: number;
  };
  "agreement.approve": { agreementId: Decimal; version: number };
  "agreement.suspend": { agreementId: Decimal; suspended: boolean };
  "settlement.close": { period: number };
  "settlement.confirm": { period: number; domainId: number; paymentRef: Hex };
  "partner.set": { domainId: number; partner: Address; allowed: boolean };
};

/** An operation's kind with its payload. */
export type OperationPayload = { [K in OperationKind]: { kind: K; payload: PayloadOf[K] } }[OperationKind];

/** Every kind but issuance, which always goes out in a batch (issueBatch). */
export type SinglePayload = Exclude<OperationPayload, { kind: "issue" }>;

/** A new operation whose payload is the one of its kind. */
export type TypedNewOperation = Omit<NewOperation, "kind" | "payload"> & OperationPayload;

/**
 * The journal stores payloads as JSON it does not look into: this is the one place one is read back
 * as its kind's type (the services wrote it so).
 */
export function payloadOf(op: Pick<OperationRecord, "kind" | "payload">): OperationPayload {
  return { kind: op.kind, payload: op.payload } as OperationPayload;
}

/** The payload of an operation known to be an issuance (an item of a batch). */
export function issuePayload(op: Pick<OperationRecord, "id" | "kind" | "payload">): PayloadOf["issue"] {
  const typed = payloadOf(op);
  if (typed.kind !== "issue") throw new Error(`operation ${op.id} is ${op.kind}, not an issuance`);
  return typed.payload;
}
