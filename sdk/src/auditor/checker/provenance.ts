/**
 * I8, governance provenance: every council-only change (in the ledger: domains, issuers, quotas,
 * caps, transfer policy, agencies, lifting pauses, reinstating issuers, roles, and anything done as
 * the council; in the council: its members, threshold and proposal lifetime) came from a
 * transaction in which the council executed a proposal that enough of its members had approved,
 * before it expired, and whose call is exactly that change; or from the contracts' own creation.
 *
 * The council is rebuilt from its events: members (each with the number of times it was admitted,
 * so a removed member's old approvals never count again), threshold, proposal lifetime, proposals
 * with their target, call data and expiry, approvals and withdrawals. A change is matched to the
 * execution that follows it in the same transaction (the council emits ProposalExecuted after the
 * call returns): the changes since the previous execution in that transaction must be exactly the
 * events the proposal's call emits, in order. Changes the transaction's end finds unclaimed came
 * from no proposal. The council's own changes take effect in the rebuilt council only once their
 * execution is checked, so the approvals are counted as the council counted them: before the call.
 */
import type { Hex } from "viem";
import { decodeCouncilCall, formatCouncilCall, type DecodedCouncilCall } from "../../council/calls";
import type * as E from "../events";
import type { ViolationLog } from "../violations";

export interface ProvenanceOptions {
  ledger: E.Addr;
  council: E.Addr;
  /** The transactions that created each contract (checked against their receipts by the caller). */
  creations: { ledger?: Hex; council?: Hex };
}

/** An execution whose block time the node did not give with its log: its expiry is checked later. */
export interface UntimedExecution {
  proposalId: bigint;
  expiresAt: bigint;
  at: E.EventPosition;
}

interface ProposalState {
  target: E.Addr;
  data: Hex;
  expiresAt: bigint;
  /** Each approving member's admission number when it approved. */
  approvals: Map<E.Addr, number>;
  executed: boolean;
}

/** An event a proposal's call emits; `optional` for calls that emit nothing when nothing changes. */
interface ExpectedChange {
  name: E.AuditEventName;
  args: Record<string, unknown>;
  optional?: boolean;
}

const LEDGER_COUNCIL_CHANGES = new Set<E.AuditEventName>([
  "DomainCreated",
  "DomainAgencyChanged",
  "ResidentCapChanged",
  "TransferPolicyChanged",
  "LedgerUnpaused",
  "DomainUnpaused",
  "IssuerQuotaSet",
  "IssuerRemoved",
  "IssuerReinstated",
  "RoleGranted",
  "RoleAdminChanged",
]);
const COUNCIL_SELF_CHANGES = new Set<E.AuditEventName>(["MemberAdded", "MemberRemoved", "ThresholdChanged", "ProposalLifetimeChanged"]);

/** Compares an event argument with a call argument: addresses and hashes by lower case, integers by value. */
function normalize(value: unknown): unknown {
  if (typeof value === "string") return value.toLowerCase();
  if (typeof value === "number") return BigInt(value);
  return value;
}

function describe(e: E.AuditEvent): string {
  const args = Object.entries(e.args as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  return `${e.name}(${args.join(", ")})`;
}

export class ProvenanceBook {
  /** The council as rebuilt: current members, threshold, proposal lifetime, counts. */
  readonly council = { members: new Set<E.Addr>(), threshold: 0n, lifetime: 0n, proposals: 0, executed: 0 };
  /** Executions to check for expiry once their blocks' times are known ({@link checkExpiry}). */
  readonly untimed: UntimedExecution[] = [];
  private readonly admissions = new Map<E.Addr, number>();
  private readonly proposals = new Map<bigint, ProposalState>();
  private tx: Hex | undefined;
  /** Council-only changes of the current transaction no execution has claimed yet. */
  private changes: E.AuditEvent[] = [];

  constructor(
    private readonly violations: ViolationLog,
    private readonly options: ProvenanceOptions,
  ) {}

  /** Folds one event; every event must come through here, in chain order, so transactions are seen to end. */
  apply(e: E.AuditEvent): void {
    if (e.transactionHash !== this.tx) {
      this.endTransaction();
      this.tx = e.transactionHash;
    }
    if (this.isCouncilChange(e)) {
      this.changes.push(e);
      return;
    }
    if (e.address !== this.options.council) return;
    switch (e.name) {
      case "ProposalCreated":
        this.council.proposals++;
        if (!this.council.members.has(e.args.proposer)) {
          this.violations.add("I8", "PROPOSED_BY_NON_MEMBER", `Council proposal ${e.args.proposalId} was made by ${e.args.proposer}, not a member.`, e, {
            proposalId: e.args.proposalId,
            proposer: e.args.proposer,
          });
        }
        this.proposals.set(e.args.proposalId, {
          target: e.args.target,
          data: e.args.data,
          expiresAt: e.args.expiresAt,
          approvals: new Map(),
          executed: false,
        });
        return;
      case "ProposalApproved": {
        const { proposalId, member } = e.args;
        if (!this.council.members.has(member)) {
          this.violations.add("I8", "APPROVED_BY_NON_MEMBER", `Council proposal ${proposalId} was approved by ${member}, not a member.`, e, { proposalId, member });
          return;
        }
        this.proposals.get(proposalId)?.approvals.set(member, this.admissions.get(member)!);
        return;
      }
      case "ProposalApprovalRevoked":
        this.proposals.get(e.args.proposalId)?.approvals.delete(e.args.member);
        return;
      case "ProposalExecuted":
        this.execute(e);
        return;
      default:
        return;
    }
  }

  /** Ends the last transaction: call once every event was folded. */
  finish(): void {
    this.endTransaction();
    this.tx = undefined;
  }

  /** The expiry check of an execution whose block time is now known. */
  checkExpiry(execution: UntimedExecution, blockTimestamp: bigint): void {
    if (blockTimestamp <= execution.expiresAt) return;
    this.violations.add(
      "I8",
      "EXECUTED_AFTER_EXPIRY",
      `Council proposal ${execution.proposalId} was carried out at ${blockTimestamp}, after it expired at ${execution.expiresAt}.`,
      execution.at,
      { proposalId: execution.proposalId, expiresAt: execution.expiresAt, blockTimestamp },
    );
  }

  private execute(e: E.CouncilProposalExecuted): void {
    const { proposalId, executor } = e.args;
    const segment = this.changes;
    this.changes = [];
    this.council.executed++;
    const details = { proposalId, executor, changes: segment.length };
    const p = this.proposals.get(proposalId);
    if (!this.council.members.has(executor)) {
      this.violations.add("I8", "EXECUTED_BY_NON_MEMBER", `Council proposal ${proposalId} was carried out by ${executor}, not a member.`, e, details);
    }
    if (!p || p.executed) {
      this.violations.add(
        "I8",
        p ? "EXECUTED_TWICE" : "EXECUTED_UNKNOWN_PROPOSAL",
        p ? `Council proposal ${proposalId} was carried out a second time.` : `Council proposal ${proposalId}, never proposed, was carried out.`,
        e,
        details,
      );
      this.applyCouncilChanges(segment);
      return;
    }
    p.executed = true;
    // The council counts, before the call, the approvals of current members given since their latest admission.
    const approvals = [...p.approvals].filter(([member, admission]) => this.council.members.has(member) && this.admissions.get(member) === admission).length;
    if (BigInt(approvals) < this.council.threshold) {
      this.violations.add(
        "I8",
        "EXECUTED_WITHOUT_THRESHOLD",
        `Council proposal ${proposalId} was carried out with ${approvals} approvals of current members; ${this.council.threshold} are needed.`,
        e,
        { ...details, approvals, threshold: this.council.threshold },
      );
    }
    if (e.blockTimestamp !== undefined) this.checkExpiry({ proposalId, expiresAt: p.expiresAt, at: e }, BigInt(e.blockTimestamp));
    else this.untimed.push({ proposalId, expiresAt: p.expiresAt, at: e });

    const call = decodeCouncilCall(this.options, p.target, p.data);
    if (!this.matches(segment, this.expectedChanges(call))) {
      this.violations.add(
        "I8",
        "EXECUTION_DIFFERS_FROM_PROPOSAL",
        `Council proposal ${proposalId} was to call ${formatCouncilCall(call)}, but its execution changed ${segment.map(describe).join("; ") || "nothing"}.`,
        e,
        { ...details, call: formatCouncilCall(call), changed: segment.map(describe).join("; ") },
      );
    }
    this.applyCouncilChanges(segment);
  }

  /** Changes no execution claimed: allowed only in the transaction that created their contract. */
  private endTransaction(): void {
    const { creations, ledger } = this.options;
    for (const change of this.changes) {
      const creation = change.address === ledger ? creations.ledger : creations.council;
      if (creation !== undefined && change.transactionHash === creation) continue;
      this.violations.add(
        "I8",
        "CHANGE_WITHOUT_PROPOSAL",
        `${describe(change)} is a change only the council may make, but no council proposal was carried out for it in its transaction.`,
        change,
        { event: change.name },
      );
    }
    this.applyCouncilChanges(this.changes);
    this.changes = [];
  }

  private applyCouncilChanges(changes: E.AuditEvent[]): void {
    for (const e of changes) {
      switch (e.name) {
        case "MemberAdded":
          this.council.members.add(e.args.member);
          this.admissions.set(e.args.member, (this.admissions.get(e.args.member) ?? 0) + 1);
          break;
        case "MemberRemoved":
          this.council.members.delete(e.args.member);
          break;
        case "ThresholdChanged":
          this.council.threshold = e.args.threshold;
          break;
        case "ProposalLifetimeChanged":
          this.council.lifetime = e.args.lifetime;
          break;
        default:
          break;
      }
    }
  }

  /** Whether `e` is a change only the council may make, or one made as the council. */
  private isCouncilChange(e: E.AuditEvent): boolean {
    const { ledger, council } = this.options;
    if (e.address === council) return COUNCIL_SELF_CHANGES.has(e.name);
    if (e.address !== ledger) return false;
    if (LEDGER_COUNCIL_CHANGES.has(e.name)) return true;
    switch (e.name) {
      // Renouncing one's own role needs no one; the council renouncing its role is the council's act.
      case "RoleRevoked":
        return e.args.sender !== e.args.account || e.args.account === council;
      case "LedgerPaused":
      case "DomainPaused":
      case "IssuerSuspended":
        return e.args.by === council;
      default:
        return false;
    }
  }

  /** The events the decoded call emits, in order, when it succeeds. */
  private expectedChanges(call: DecodedCouncilCall): ExpectedChange[] {
    const council = this.options.council;
    const a = call.args as unknown[];
    const one = (name: E.AuditEventName, args: Record<string, unknown>, optional = false): ExpectedChange[] => [{ name, args, optional }];
    if (call.target === "council") {
      switch (call.functionName) {
        case "addMember":
          return one("MemberAdded", { member: a[0] });
        case "removeMember":
          return one("MemberRemoved", { member: a[0] });
        case "setThreshold":
          return one("ThresholdChanged", { threshold: a[0] });
        case "setProposalLifetime":
          return one("ProposalLifetimeChanged", { lifetime: a[0] });
        default:
          return [];
      }
    }
    if (call.target !== "ledger") return [];
    switch (call.functionName) {
      case "createDomain": {
        const c = a[0] as Record<string, unknown>;
        return one("DomainCreated", { name: c.name, agency: c.agency, pointValue: c.pointValue, residentCap: c.residentCap, transferable: c.transferable });
      }
      case "setDomainAgency":
        return one("DomainAgencyChanged", { domainId: a[0], agency: a[1] });
      case "setResidentCap":
        return one("ResidentCapChanged", { domainId: a[0], residentCap: a[1] });
      case "setTransferable":
        return one("TransferPolicyChanged", { domainId: a[0], transferable: a[1] });
      case "unpause":
        return one("LedgerUnpaused", { by: council });
      case "unpauseDomain":
        return one("DomainUnpaused", { domainId: a[0], by: council });
      case "pause":
        return one("LedgerPaused", { by: council });
      case "pauseDomain":
        return one("DomainPaused", { domainId: a[0], by: council });
      case "setIssuerQuota":
        return one("IssuerQuotaSet", { domainId: a[0], issuer: a[1], quota: a[2] });
      case "removeIssuer":
        return one("IssuerRemoved", { domainId: a[0], issuer: a[1] });
      case "suspendIssuer":
        return one("IssuerSuspended", { domainId: a[0], issuer: a[1], by: council });
      case "reinstateIssuer":
        return one("IssuerReinstated", { domainId: a[0], issuer: a[1] });
      // AccessControl emits nothing when the role is already held (or not held).
      case "grantRole":
        return one("RoleGranted", { role: a[0], account: a[1], sender: council }, true);
      case "revokeRole":
        return one("RoleRevoked", { role: a[0], account: a[1], sender: council }, true);
      case "renounceRole":
        return one("RoleRevoked", { role: a[0], account: council, sender: council }, true);
      default:
        return [];
    }
  }

  /** Whether the changes are exactly the expected ones, in order (optional ones may be absent). */
  private matches(changes: E.AuditEvent[], expected: ExpectedChange[]): boolean {
    let i = 0;
    for (const x of expected) {
      const change = changes[i];
      const same =
        change !== undefined &&
        change.name === x.name &&
        Object.entries(x.args).every(([key, value]) => normalize((change.args as Record<string, unknown>)[key]) === normalize(value));
      if (same) i++;
      else if (!x.optional) return false;
    }
    return i === changes.length;
  }
}
