/**
 * The ledger's, council's, passkey registry's and community stations' events as the auditor sees them: one object per log with the event's
 * name, where it happened, and its arguments (addresses lower-case, small integers as numbers,
 * amounts as bigint). Tests build, drop or forge these to feed the checker.
 */
import type { Hex } from "viem";

export type Addr = `0x${string}`;

export interface EventPosition {
  blockNumber: number;
  transactionHash: Hex;
  logIndex: number;
  /** The contract that emitted it (lower-case). */
  address: Addr;
  /** The block's timestamp, where the node gives it with the log. */
  blockTimestamp?: number;
}

interface Ev<N extends string, A> extends EventPosition {
  name: N;
  args: A;
}

export type LedgerConfigured = Ev<"LedgerConfigured", { genesisTime: bigint; periodSeconds: bigint }>;
export type LedgerPaused = Ev<"LedgerPaused", { by: Addr }>;
export type LedgerUnpaused = Ev<"LedgerUnpaused", { by: Addr }>;
export type DomainCreated = Ev<
  "DomainCreated",
  { domainId: number; name: string; agency: Addr; pointValue: bigint; residentCap: bigint; transferable: boolean }
>;
export type DomainAgencyChanged = Ev<"DomainAgencyChanged", { domainId: number; agency: Addr }>;
export type ResidentCapChanged = Ev<"ResidentCapChanged", { domainId: number; residentCap: bigint }>;
export type TransferPolicyChanged = Ev<"TransferPolicyChanged", { domainId: number; transferable: boolean }>;
export type DomainPaused = Ev<"DomainPaused", { domainId: number; by: Addr }>;
export type DomainUnpaused = Ev<"DomainUnpaused", { domainId: number; by: Addr }>;
export type IssuerQuotaSet = Ev<"IssuerQuotaSet", { domainId: number; issuer: Addr; quota: bigint }>;
export type IssuerRemoved = Ev<"IssuerRemoved", { domainId: number; issuer: Addr }>;
export type IssuerSuspended = Ev<"IssuerSuspended", { domainId: number; issuer: Addr; by: Addr }>;
export type IssuerReinstated = Ev<"IssuerReinstated", { domainId: number; issuer: Addr }>;
export type PartnerSet = Ev<"PartnerSet", { domainId: number; partner: Addr; allowed: boolean }>;
export type PointsIssued = Ev<
  "PointsIssued",
  { domainId: number; resident: Addr; claimId: bigint; issuer: Addr; amount: bigint; period: number }
>;
export type PointsExchanged = Ev<
  "PointsExchanged",
  { resident: Addr; agreementId: bigint; version: number; amountIn: bigint; amountOut: bigint; period: number; nonce: bigint }
>;
export type PointsRedeemed = Ev<
  "PointsRedeemed",
  { domainId: number; resident: Addr; partner: Addr; amount: bigint; orderRef: Hex; nonce: bigint }
>;
export type PointsTransferred = Ev<
  "PointsTransferred",
  { domainId: number; from: Addr; to: Addr; amount: bigint; nonce: bigint }
>;
export type AgreementProposed = Ev<
  "AgreementProposed",
  {
    agreementId: bigint;
    fromDomain: number;
    toDomain: number;
    version: number;
    rateNum: bigint;
    rateDen: bigint;
    periodCap: bigint;
    validFromPeriod: number;
    validUntilPeriod: number;
    proposer: Addr;
  }
>;
export type AgreementApproved = Ev<"AgreementApproved", { agreementId: bigint; version: number; domainId: number; by: Addr }>;
export type AgreementActivated = Ev<"AgreementActivated", { agreementId: bigint; version: number }>;
export type AgreementSuspensionChanged = Ev<
  "AgreementSuspensionChanged",
  { agreementId: bigint; domainId: number; suspended: boolean; by: Addr }
>;
export type SettlementPublished = Ev<"SettlementPublished", { period: number; domainId: number; agency: Addr; net: bigint }>;
export type PeriodClosed = Ev<"PeriodClosed", { period: number; openPositions: bigint }>;
export type SettlementConfirmed = Ev<
  "SettlementConfirmed",
  { period: number; domainId: number; agency: Addr; paymentRef: Hex }
>;
export type SettlementCompleted = Ev<"SettlementCompleted", { period: number }>;
export type RoleGranted = Ev<"RoleGranted", { role: Hex; account: Addr; sender: Addr }>;
export type RoleRevoked = Ev<"RoleRevoked", { role: Hex; account: Addr; sender: Addr }>;
export type RoleAdminChanged = Ev<"RoleAdminChanged", { role: Hex; previousAdminRole: Hex; newAdminRole: Hex }>;

export type CouncilProposalCreated = Ev<
  "ProposalCreated",
  { proposalId: bigint; proposer: Addr; target: Addr; data: Hex; descriptionHash: Hex; expiresAt: bigint }
>;
export type CouncilProposalApproved = Ev<"ProposalApproved", { proposalId: bigint; member: Addr; approvals: bigint }>;
export type CouncilProposalApprovalRevoked = Ev<
  "ProposalApprovalRevoked",
  { proposalId: bigint; member: Addr; approvals: bigint }
>;
export type CouncilProposalExecuted = Ev<"ProposalExecuted", { proposalId: bigint; executor: Addr }>;
export type CouncilMemberAdded = Ev<"MemberAdded", { member: Addr }>;
export type CouncilMemberRemoved = Ev<"MemberRemoved", { member: Addr }>;
export type CouncilThresholdChanged = Ev<"ThresholdChanged", { threshold: bigint }>;
export type CouncilProposalLifetimeChanged = Ev<"ProposalLifetimeChanged", { lifetime: bigint }>;

export type PasskeyAccountsConfigured = Ev<"PasskeyAccountsConfigured", { council: Addr; recoveryDelay: bigint }>;
export type CredentialAdded = Ev<"CredentialAdded", { account: Addr; keyId: Hex; qx: Hex; qy: Hex; credentialId: Hex; authorisedBy: Hex }>;
export type CredentialRevoked = Ev<"CredentialRevoked", { account: Addr; keyId: Hex; authorisedBy: Hex }>;
export type PasskeyAssertionVerified = Ev<
  "PasskeyAssertionVerified",
  { account: Addr; keyId: Hex; caller: Addr; digest: Hex; authenticatorData: Hex; clientDataJSON: string; r: Hex; s: Hex }
>;
export type RecoveryProposed = Ev<
  "RecoveryProposed",
  { account: Addr; keyId: Hex; qx: Hex; qy: Hex; credentialId: Hex; proposer: Addr; readyAt: bigint }
>;
export type RecoveryCancelled = Ev<"RecoveryCancelled", { account: Addr; keyId: Hex; byKeyId: Hex }>;
export type RecoveryExecuted = Ev<"RecoveryExecuted", { account: Addr; keyId: Hex }>;
export type RecoveryAgentSet = Ev<"RecoveryAgentSet", { agent: Addr; allowed: boolean }>;

export type CommunityStationsConfigured = Ev<"CommunityStationsConfigured", { council: Addr; ledger: Addr; passkeyAccounts: Addr }>;
export type StationRegistrarSet = Ev<"StationRegistrarSet", { previous: Addr; registrar: Addr }>;
export type StationAdded = Ev<"StationAdded", { stationId: number; name: string; dailyLimit: number }>;
export type StationLimitSet = Ev<"StationLimitSet", { stationId: number; dailyLimit: number }>;
export type StationActiveSet = Ev<"StationActiveSet", { stationId: number; active: boolean }>;
export type StationStaffSet = Ev<"StationStaffSet", { stationId: number; account: Addr; allowed: boolean }>;
/** `kind` as `ICommunityStations.AssistedKind` numbers it: 0 enrolment, 1 exchange, 2 redemption. */
export type StationAssisted = Ev<"StationAssisted", { stationId: number; staff: Addr; resident: Addr; kind: number; day: bigint; countToday: number }>;

export type StationEvent =
  | CommunityStationsConfigured
  | StationRegistrarSet
  | StationAdded
  | StationLimitSet
  | StationActiveSet
  | StationStaffSet
  | StationAssisted;

export type PasskeyEvent =
  | PasskeyAccountsConfigured
  | CredentialAdded
  | CredentialRevoked
  | PasskeyAssertionVerified
  | RecoveryProposed
  | RecoveryCancelled
  | RecoveryExecuted
  | RecoveryAgentSet;

export type LedgerEvent =
  | LedgerConfigured
  | LedgerPaused
  | LedgerUnpaused
  | DomainCreated
  | DomainAgencyChanged
  | ResidentCapChanged
  | TransferPolicyChanged
  | DomainPaused
  | DomainUnpaused
  | IssuerQuotaSet
  | IssuerRemoved
  | IssuerSuspended
  | IssuerReinstated
  | PartnerSet
  | PointsIssued
  | PointsExchanged
  | PointsRedeemed
  | PointsTransferred
  | AgreementProposed
  | AgreementApproved
  | AgreementActivated
  | AgreementSuspensionChanged
  | SettlementPublished
  | PeriodClosed
  | SettlementConfirmed
  | SettlementCompleted
  | RoleGranted
  | RoleRevoked
  | RoleAdminChanged;

export type CouncilEvent =
  | CouncilProposalCreated
  | CouncilProposalApproved
  | CouncilProposalApprovalRevoked
  | CouncilProposalExecuted
  | CouncilMemberAdded
  | CouncilMemberRemoved
  | CouncilThresholdChanged
  | CouncilProposalLifetimeChanged;

export type AuditEvent = LedgerEvent | CouncilEvent | PasskeyEvent | StationEvent;
export type AuditEventName = AuditEvent["name"];
