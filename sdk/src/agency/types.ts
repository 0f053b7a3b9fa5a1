/**
 * What the agency client returns: the relay's answers parsed with the wire schemas (so a relay
 * that answers otherwise is caught here, not deep in the caller's code), with amounts and ids as
 * bigint and addresses as `0x` strings.
 */
import type { Address, Hex } from "viem";
import type { z } from "zod";
import { asAgreementId, type AgreementId } from "../agreementId";
import { InvalidRelayResponseError } from "../errors/relay";
import type { agreementSchema } from "../wire/agreements";
import type { operationEventSchema, operationSchema, OperationFailure, OperationKind, OperationStatus } from "../wire/operations";
import type { domainSchema, historyEntrySchema, quotaResponseSchema, quoteResponseSchema } from "../wire/reads";
import type { settlementStatementSchema } from "../wire/settlement";

/**
 * Parses a relay answer with its wire schema and converts it (decimal strings to bigint); an answer
 * that does not match is an InvalidRelayResponseError naming the fields.
 */
export function readAnswer<S extends z.ZodType, T>(schema: S, value: unknown, request: string, convert: (parsed: z.output<S>) => T): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 10).map((i) => `${i.path.join(".") || "(answer)"}: ${i.message}`);
    throw new InvalidRelayResponseError(`The answer to ${request} does not match the API: ${problems.join("; ")}.`, { details: { request, problems } });
  }
  try {
    return convert(result.data);
  } catch (error) {
    throw new InvalidRelayResponseError(`The answer to ${request} holds a value that is not a number where one is expected.`, { cause: error, details: { request } });
  }
}

export interface OperationTransaction {
  hash: Hex;
  nonce: number;
  /** Set once confirmed. */
  blockNumber?: number;
}

export interface Operation {
  /** "op_" + 32 hex digits. */
  id: string;
  kind: OperationKind;
  /** queued → submitted → confirmed | failed (the last two are final). */
  status: OperationStatus;
  domainId?: number;
  /** Issuances: the claim id. */
  claimId?: bigint;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  transaction?: OperationTransaction;
  /** Why it failed: the ledger's error name (e.g. PointsLedgerClaimUsed) and arguments, or the relay's reason. */
  error?: OperationFailure;
}

export function toOperation(op: z.output<typeof operationSchema>): Operation {
  return {
    id: op.id,
    kind: op.kind,
    status: op.status,
    ...(op.domainId !== undefined ? { domainId: op.domainId } : {}),
    ...(op.claimId !== undefined ? { claimId: BigInt(op.claimId) } : {}),
    createdAt: op.createdAt,
    updatedAt: op.updatedAt,
    ...(op.transaction ? { transaction: { ...op.transaction, hash: op.transaction.hash as Hex } } : {}),
    ...(op.error ? { error: op.error } : {}),
  };
}

export interface OperationEvent {
  /** Event id: pass it as `lastEventId` to resume after it. */
  id: string;
  type: "operation.submitted" | "operation.confirmed" | "operation.failed";
  at: string;
  operation: Operation;
}

export function toOperationEvent(event: z.output<typeof operationEventSchema>): OperationEvent {
  return { id: event.id, type: event.type, at: event.at, operation: toOperation(event.operation) };
}

export interface Domain {
  id: number;
  name: string;
  agency: Address;
  pointValue: number;
  /** Most points a resident may receive per period (0: no cap). */
  residentCap: bigint;
  transferable: boolean;
  paused: boolean;
  supply: bigint;
}

export function toDomain(d: z.output<typeof domainSchema>): Domain {
  return { ...d, agency: d.agency as Address, residentCap: BigInt(d.residentCap), supply: BigInt(d.supply) };
}

export interface AgreementTerms {
  version: number;
  rateNum: number;
  rateDen: number;
  /** Points in per period; 0 for no cap. */
  periodCap: bigint;
  validFromPeriod: number;
  validUntilPeriod: number;
}

export interface Agreement {
  /** The pair of domains, packed (`agreementIdOf(fromDomain, toDomain)`). */
  agreementId: AgreementId;
  fromDomain: number;
  toDomain: number;
  /** A version approved by both, not suspended, within its window now. */
  inForce: boolean;
  current?: AgreementTerms;
  suspendedByFrom: boolean;
  suspendedByTo: boolean;
  /** A proposed version awaiting approval. */
  pending?: AgreementTerms & { approvedByFrom: boolean; approvedByTo: boolean };
}

export function toAgreement(a: z.output<typeof agreementSchema>): Agreement {
  return {
    agreementId: asAgreementId(a.agreementId),
    fromDomain: a.fromDomain,
    toDomain: a.toDomain,
    inForce: a.inForce,
    ...(a.current ? { current: { ...a.current, periodCap: BigInt(a.current.periodCap) } } : {}),
    suspendedByFrom: a.suspendedByFrom,
    suspendedByTo: a.suspendedByTo,
    ...(a.pending ? { pending: { ...a.pending, periodCap: BigInt(a.pending.periodCap) } } : {}),
  };
}

export interface RelayQuote {
  fromDomain: number;
  toDomain: number;
  amountIn: bigint;
  /** floor(amountIn × rateNum / rateDen) at the agreement in force now. */
  amountOut: bigint;
  agreementId: AgreementId;
  version: number;
}

export function toQuote(q: z.output<typeof quoteResponseSchema>): RelayQuote {
  return { ...q, amountIn: BigInt(q.amountIn), amountOut: BigInt(q.amountOut), agreementId: asAgreementId(q.agreementId) };
}

export interface HistoryEntry {
  type: "issued" | "exchanged" | "redeemed" | "transferred-in" | "transferred-out";
  blockNumber: number;
  transactionHash: Hex;
  domainId?: number;
  amount?: bigint;
  fromDomain?: number;
  toDomain?: number;
  amountIn?: bigint;
  amountOut?: bigint;
  nonce?: bigint;
}

export function toHistoryEntry(e: z.output<typeof historyEntrySchema>): HistoryEntry {
  const big = (v: string | undefined) => (v === undefined ? undefined : BigInt(v));
  const entry: HistoryEntry = { type: e.type, blockNumber: e.blockNumber, transactionHash: e.transactionHash as Hex };
  if (e.domainId !== undefined) entry.domainId = e.domainId;
  if (e.fromDomain !== undefined) entry.fromDomain = e.fromDomain;
  if (e.toDomain !== undefined) entry.toDomain = e.toDomain;
  for (const key of ["amount", "amountIn", "amountOut", "nonce"] as const) {
    const value = big(e[key]);
    if (value !== undefined) entry[key] = value;
  }
  return entry;
}

export interface IssuerQuota {
  domainId: number;
  issuer: Address;
  admitted: boolean;
  suspended: boolean;
  /** Points the issuer may issue per period. */
  quota: bigint;
  usedThisPeriod: bigint;
  remaining: bigint;
  period: number;
}

export function toQuota(q: z.output<typeof quotaResponseSchema>): IssuerQuota {
  return {
    ...q,
    issuer: q.issuer as Address,
    quota: BigInt(q.quota),
    usedThisPeriod: BigInt(q.usedThisPeriod),
    remaining: BigInt(q.remaining),
  };
}

export interface SettlementPosition {
  domainId: number;
  /** Positive: owed to the domain's agency; negative: owed by it. */
  net: bigint;
  confirmed: boolean;
  paymentRef?: Hex;
}

export interface SettlementStatement {
  period: number;
  currentPeriod: number;
  closed: boolean;
  /** Non-zero positions, once closed. */
  positions: SettlementPosition[];
}

export function toSettlement(s: z.output<typeof settlementStatementSchema>): SettlementStatement {
  return {
    period: s.period,
    currentPeriod: s.currentPeriod,
    closed: s.closed,
    positions: s.positions.map((p) => ({
      domainId: p.domainId,
      net: BigInt(p.net),
      confirmed: p.confirmed,
      ...(p.paymentRef ? { paymentRef: p.paymentRef as Hex } : {}),
    })),
  };
}
