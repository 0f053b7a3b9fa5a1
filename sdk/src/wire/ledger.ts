/**
 * The public ledger's read API (`/v1/ledger/...`): figures per domain and period, issuance against
 * quotas, exchanges per agreement, settlement statements, a domain's events in a period, and one
 * transaction decoded. The relay answers them from its ledger index (it follows the chain's events;
 * it does not rescan the chain per request); `index` says up to which block the figures hold.
 * Amounts are decimal strings; settlement nets are signed decimal strings.
 */
import { z } from "zod";
import { addressSchema, bytes32Schema, domainIdParamSchema, periodParamSchema, txHashSchema } from "./primitives";

const amount = z.string().meta({ description: "points, decimal string" });
const signed = z.string().meta({ description: "signed decimal string" });
const int = z.number().int();

/** Most periods one overview or settlements request may span. */
export const LEDGER_MAX_PERIODS = 100;
/** Periods an overview spans when not told: the current one and the 11 before it. */
export const LEDGER_DEFAULT_PERIODS = 12;
/** Most events one page of a domain's period holds. */
export const LEDGER_MAX_EVENTS_PAGE = 200;
export const LEDGER_DEFAULT_EVENTS_PAGE = 50;

export const ledgerIndexStatusSchema = z
  .object({
    block: int.meta({ description: "the figures hold every event up to this block (-1: none read yet)" }),
    blockTime: int.nullable().meta({ description: "that block's time, unix seconds" }),
    head: int.nullable().meta({ description: "the chain's latest block when last asked" }),
    upToDate: z.boolean().meta({ description: "the index has read up to the chain's head" }),
    chainReachable: z.boolean(),
    events: int.meta({ description: "ledger events read" }),
  })
  .meta({ id: "LedgerIndexStatus" });
export type LedgerIndexStatus = z.output<typeof ledgerIndexStatusSchema>;

export const ledgerClockSchema = z.object({
  currentPeriod: int.meta({ description: "the period now: by the relay's clock, or by the chain's last block if later" }),
  periodSeconds: int,
  genesisTime: int.meta({ description: "start of period 0, unix seconds" }),
});

export const ledgerDomainSchema = z
  .object({
    id: int,
    name: z.string(),
    agency: z.string(),
    pointValue: int.meta({ description: "value units one point counts for in settlement" }),
    residentCap: amount,
    transferable: z.boolean(),
    paused: z.boolean(),
    supply: amount.meta({ description: "points in existence at the index's block" }),
  })
  .meta({ id: "LedgerDomain" });

export const domainPeriodFiguresSchema = z
  .object({
    domainId: int,
    issued: amount,
    redeemed: amount,
    exchangedIn: amount,
    exchangedOut: amount,
    transferred: amount.meta({ description: "moved between residents (supply unchanged)" }),
    supply: amount.meta({ description: "points in existence at the end of the period (or now, for the current one)" }),
    events: int.meta({ description: "events of the domain in the period" }),
  })
  .meta({ id: "DomainPeriodFigures" });
export type DomainPeriodFigures = z.output<typeof domainPeriodFiguresSchema>;

export const issuerPeriodSchema = z.object({ period: int, issued: amount, quota: amount.meta({ description: "the issuer's quota in force at the period's end" }) });
export const ledgerIssuerSchema = z
  .object({
    domainId: int,
    issuer: z.string(),
    quota: amount.meta({ description: "quota per period now" }),
    admitted: z.boolean(),
    suspended: z.boolean(),
    issued: amount.meta({ description: "issued in all periods" }),
    periods: z.array(issuerPeriodSchema),
  })
  .meta({ id: "LedgerIssuer" });

export const agreementPeriodSchema = z.object({ period: int, exchanges: int, amountIn: amount, amountOut: amount });
export const agreementFlowSchema = z
  .object({ agreementId: z.string(), fromDomain: int, toDomain: int, periods: z.array(agreementPeriodSchema) })
  .meta({ id: "AgreementFlow" });

export const settlementSummarySchema = z
  .object({
    period: int,
    exchanges: int,
    closed: z.boolean(),
    completed: z.boolean(),
    positions: int.meta({ description: "non-zero positions (published once closed, else as the exchanges net)" }),
    confirmed: int,
  })
  .meta({ id: "SettlementSummary" });

export const overviewQuerySchema = z
  .strictObject({
    fromPeriod: periodParamSchema.optional(),
    toPeriod: periodParamSchema.optional(),
  })
  .meta({ id: "LedgerPeriodsQuery" });
export type OverviewQuery = z.output<typeof overviewQuerySchema>;

export const ledgerOverviewSchema = z
  .object({
    index: ledgerIndexStatusSchema,
    clock: ledgerClockSchema,
    fromPeriod: int,
    toPeriod: int,
    domains: z.array(ledgerDomainSchema),
    periods: z.array(z.object({ period: int, startsAt: int.meta({ description: "unix seconds" }), domains: z.array(domainPeriodFiguresSchema) })),
    issuers: z.array(ledgerIssuerSchema),
    agreements: z.array(agreementFlowSchema),
    settlements: z.array(settlementSummarySchema).meta({ description: "periods of the window with exchanges or a closing" }),
  })
  .meta({ id: "LedgerOverview", description: "every period of the window, oldest first, with the figures of every domain" });
export type LedgerOverview = z.output<typeof ledgerOverviewSchema>;

const termsSchema = z.object({
  version: int,
  rateNum: int,
  rateDen: int,
  periodCap: amount.meta({ description: "points in per period; 0 for no cap" }),
  validFromPeriod: int,
  validUntilPeriod: int,
});

export const ledgerAgreementSchema = z
  .object({
    agreementId: z.string(),
    fromDomain: int,
    toDomain: int,
    inForce: z.boolean(),
    current: termsSchema.optional(),
    pending: termsSchema.extend({ approvedByFrom: z.boolean(), approvedByTo: z.boolean() }).optional(),
    suspendedByFrom: z.boolean(),
    suspendedByTo: z.boolean(),
    usedThisPeriod: amount.meta({ description: "points in this period, counted against periodCap" }),
    exchanges: int,
    amountIn: amount,
    amountOut: amount,
  })
  .meta({ id: "LedgerAgreement" });
export const ledgerAgreementsQuerySchema = z.strictObject({ all: z.enum(["true", "false"]).optional().meta({ description: "true: every agreement, not only those in force" }) });
export const ledgerAgreementsSchema = z
  .object({ index: ledgerIndexStatusSchema, clock: ledgerClockSchema, agreements: z.array(ledgerAgreementSchema) })
  .meta({ id: "LedgerAgreements" });
export type LedgerAgreements = z.output<typeof ledgerAgreementsSchema>;

export const settlementsResponseSchema = z
  .object({ index: ledgerIndexStatusSchema, clock: ledgerClockSchema, fromPeriod: int, toPeriod: int, settlements: z.array(settlementSummarySchema) })
  .meta({ id: "LedgerSettlements" });
export type LedgerSettlements = z.output<typeof settlementsResponseSchema>;

export const ledgerPositionSchema = z.object({
  domainId: int,
  expected: signed.meta({ description: "what the period's exchanges net to for the domain (positive: owed to its agency)" }),
  published: signed.nullable().meta({ description: "the position the ledger published at closing (null before)" }),
  agency: z.string().nullable(),
  confirmed: z.boolean(),
  paymentRef: z.string().nullable().meta({ description: "salted hash of the payment reference" }),
});
export const ledgerSettlementSchema = z
  .object({
    index: ledgerIndexStatusSchema,
    clock: ledgerClockSchema,
    period: int,
    startsAt: int,
    endsAt: int,
    exchanges: int,
    closed: z.boolean(),
    completed: z.boolean(),
    closedIn: z.string().nullable().meta({ description: "transaction that closed it" }),
    positions: z.array(ledgerPositionSchema).meta({ description: "every domain with a non-zero expected or published position" }),
    obligations: z
      .array(z.object({ agreementId: z.string(), fromDomain: int, toDomain: int, exchanges: int, amountOut: amount, value: amount.meta({ description: "amountOut × pointValue(toDomain), owed by fromDomain's agency to toDomain's" }) }))
      .meta({ description: "what each agreement's exchanges in the period owe" }),
  })
  .meta({ id: "LedgerSettlement" });
export type LedgerSettlement = z.output<typeof ledgerSettlementSchema>;

export const domainPeriodParamsSchema = z.strictObject({ id: domainIdParamSchema, period: periodParamSchema });

export const ledgerDomainPeriodSchema = z
  .object({
    index: ledgerIndexStatusSchema,
    clock: ledgerClockSchema,
    domain: ledgerDomainSchema,
    period: int,
    startsAt: int,
    figures: domainPeriodFiguresSchema,
    issuers: z.array(z.object({ issuer: z.string(), issuances: int, issued: amount, quota: amount })),
    partners: z.array(z.object({ partner: z.string(), redemptions: int, redeemed: amount })),
    agreements: z.array(z.object({ agreementId: z.string(), fromDomain: int, toDomain: int, exchanges: int, amountIn: amount, amountOut: amount })),
  })
  .meta({ id: "LedgerDomainPeriod" });
export type LedgerDomainPeriod = z.output<typeof ledgerDomainPeriodSchema>;

/** A decoded argument: numbers up to 32 bits stay numbers, wider ones and amounts are decimal strings. */
export const decodedValueSchema = z.json();
export type DecodedValue = z.output<typeof decodedValueSchema>;

export const ledgerEventSchema = z
  .object({
    name: z.string().meta({ description: "the event's name in the contract's ABI" }),
    contract: z.enum(["ledger", "council"]),
    blockNumber: int,
    logIndex: int,
    transactionHash: z.string(),
    time: int.nullable().meta({ description: "block time, unix seconds" }),
    args: z.record(z.string(), decodedValueSchema),
  })
  .meta({ id: "LedgerEvent" });
export type LedgerEventEntry = z.output<typeof ledgerEventSchema>;

export const eventsQuerySchema = z
  .strictObject({
    after: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,11})-(0|[1-9][0-9]{0,6})$/, "after must be <block>-<logIndex> of the last event seen")
      .optional(),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/, "limit must be a positive integer")
      .transform(Number)
      .pipe(z.number().max(LEDGER_MAX_EVENTS_PAGE, `limit must be at most ${LEDGER_MAX_EVENTS_PAGE}`))
      .optional(),
  })
  .meta({ id: "LedgerEventsQuery" });
export type EventsQuery = z.output<typeof eventsQuerySchema>;

export const ledgerEventsPageSchema = z
  .object({
    index: ledgerIndexStatusSchema,
    domainId: int,
    period: int,
    total: int.meta({ description: "events of the domain in the period" }),
    events: z.array(ledgerEventSchema).meta({ description: "in chain order" }),
    next: z.string().nullable().meta({ description: "pass as ?after= for the next page; null on the last" }),
  })
  .meta({ id: "LedgerEventsPage" });
export type LedgerEventsPage = z.output<typeof ledgerEventsPageSchema>;

export const transactionParamsSchema = z.strictObject({ hash: txHashSchema });

export const decodedTransactionSchema = z
  .object({
    hash: z.string(),
    status: z.enum(["success", "reverted", "pending"]),
    blockNumber: int.nullable(),
    time: int.nullable(),
    period: int.nullable(),
    from: z.string(),
    to: z.string().nullable(),
    contract: z.enum(["ledger", "council"]),
    call: z
      .object({ function: z.string(), args: z.record(z.string(), decodedValueSchema) })
      .nullable()
      .meta({ description: "the function called and its arguments, decoded with the contract's ABI (null if it matches none)" }),
    events: z.array(ledgerEventSchema),
  })
  .meta({ id: "DecodedTransaction", description: "a transaction to the ledger or the council: what it called and what it did" });
export type DecodedTransaction = z.output<typeof decodedTransactionSchema>;

/** Longest window one partner's redemptions request may span: 31 days. */
export const PARTNER_REDEMPTIONS_MAX_SECONDS = 31 * 86_400;
const unixSecondsParam = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,11})$/, "must be unix seconds, a non-negative integer")
  .transform(Number)
  .meta({ description: "unix seconds" });

export const partnerRedemptionsParamsSchema = z.strictObject({ address: addressSchema });

/**
 * `GET /v1/ledger/partners/:address/redemptions?from=&to=&orderRef=`: blocks whose time lies in
 * [from, to), by default the last 24 hours; with `orderRef`, only the redemptions of that order
 * (at most one: the ledger refuses an order paid twice to a partner).
 */
export const partnerRedemptionsQuerySchema = z
  .strictObject({ from: unixSecondsParam.optional(), to: unixSecondsParam.optional(), orderRef: bytes32Schema.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: "from must be before to", path: ["from"] })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= PARTNER_REDEMPTIONS_MAX_SECONDS, {
    message: `the window is at most ${PARTNER_REDEMPTIONS_MAX_SECONDS} seconds (31 days)`,
    path: ["to"],
  });
export type PartnerRedemptionsQuery = z.output<typeof partnerRedemptionsQuerySchema>;

export const partnerRedemptionSchema = z
  .object({
    domainId: int,
    resident: z.string().meta({ description: "the resident's on-chain account (pseudonymous), as the event names it" }),
    amount,
    orderRef: z.string().meta({ description: "salted hash of the order reference" }),
    transactionHash: z.string(),
    blockNumber: int,
    logIndex: int,
    time: int.meta({ description: "block time, unix seconds" }),
  })
  .meta({ id: "PartnerRedemption" });
export type PartnerRedemption = z.output<typeof partnerRedemptionSchema>;

export const partnerRedemptionsSchema = z
  .object({
    index: ledgerIndexStatusSchema,
    partner: z.string(),
    from: int,
    to: int,
    redemptions: z.array(partnerRedemptionSchema).meta({ description: "oldest first" }),
  })
  .meta({ id: "PartnerRedemptions" });
export type PartnerRedemptions = z.output<typeof partnerRedemptionsSchema>;
