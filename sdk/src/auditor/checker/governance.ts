/**
 * Domains, pauses, issuers, partners and roles as rebuilt from events: the configuration every
 * other check reads (caps, point values, agencies, who may issue) and the pause state I7 checks.
 * Whether each council-only change came through the council's process (I8) is the provenance
 * book's (provenance.ts).
 */
import type { Hex } from "viem";
import type * as E from "../events";
import type { ViolationLog } from "../violations";

export interface DomainState {
  id: number;
  name: string;
  agency: E.Addr;
  pointValue: bigint;
  residentCap: bigint;
  transferable: boolean;
  paused: boolean;
  /** Flows from events, for I1. */
  issued: bigint;
  redeemed: bigint;
  exchangedIn: bigint;
  exchangedOut: bigint;
  transferred: bigint;
}

export interface IssuerState {
  admitted: boolean;
  suspended: boolean;
  quota: bigint;
  /** The period `used` counts, as the contract keeps it. */
  period: number;
  used: bigint;
}

const COUNCIL_ROLE = ("0x" + "0".repeat(64)) as Hex;
const PAUSER_ROLE = "0x65d7a28e3265b37a6474929f336521b332c1681b933f6cb9f3376673440d862a" as Hex; // keccak256("PAUSER_ROLE")

export class GovernanceBook {
  readonly domains = new Map<number, DomainState>();
  /** Issuers per domain, then address. */
  readonly issuers = new Map<number, Map<E.Addr, IssuerState>>();
  /** Points issued per issuer address (kept after an issuer is removed). */
  readonly issuedBy = new Map<E.Addr, bigint>();
  readonly partners = new Map<string, boolean>();
  readonly roles = new Map<Hex, Set<E.Addr>>();
  ledgerPaused = false;
  genesisTime: bigint | undefined;
  periodSeconds: bigint | undefined;
  pauses = 0;

  /** @param councilAddress The council contract, the only holder the council role should have. */
  constructor(
    private readonly violations: ViolationLog,
    private readonly councilAddress?: E.Addr,
  ) {}

  issuer(domainId: number, issuer: E.Addr): IssuerState | undefined {
    return this.issuers.get(domainId)?.get(issuer);
  }

  apply(e: E.AuditEvent): boolean {
    switch (e.name) {
      case "LedgerConfigured":
        this.genesisTime = e.args.genesisTime;
        this.periodSeconds = e.args.periodSeconds;
        return true;
      case "LedgerPaused":
        this.ledgerPaused = true;
        this.pauses++;
        return true;
      case "LedgerUnpaused":
        this.ledgerPaused = false;
        return true;
      case "DomainCreated": {
        const a = e.args;
        if (this.domains.has(a.domainId)) {
          this.violations.add("RULE", "DOMAIN_CREATED_TWICE", `Domain ${a.domainId} was created twice.`, e, { domainId: a.domainId });
          return true;
        }
        this.domains.set(a.domainId, {
          id: a.domainId,
          name: a.name,
          agency: a.agency,
          pointValue: a.pointValue,
          residentCap: a.residentCap,
          transferable: a.transferable,
          paused: false,
          issued: 0n,
          redeemed: 0n,
          exchangedIn: 0n,
          exchangedOut: 0n,
          transferred: 0n,
        });
        return true;
      }
      case "DomainAgencyChanged":
        this.withDomain(e, e.args.domainId, (d) => (d.agency = e.args.agency));
        return true;
      case "ResidentCapChanged":
        this.withDomain(e, e.args.domainId, (d) => (d.residentCap = e.args.residentCap));
        return true;
      case "TransferPolicyChanged":
        this.withDomain(e, e.args.domainId, (d) => (d.transferable = e.args.transferable));
        return true;
      case "DomainPaused":
        this.withDomain(e, e.args.domainId, (d) => (d.paused = true));
        this.pauses++;
        return true;
      case "DomainUnpaused":
        this.withDomain(e, e.args.domainId, (d) => (d.paused = false));
        return true;
      case "IssuerQuotaSet": {
        const state = this.issuer(e.args.domainId, e.args.issuer);
        // Like the contract: admits, or changes the quota and keeps this period's use.
        if (state) {
          state.admitted = true;
          state.quota = e.args.quota;
        } else {
          let inDomain = this.issuers.get(e.args.domainId);
          if (!inDomain) this.issuers.set(e.args.domainId, (inDomain = new Map()));
          inDomain.set(e.args.issuer, { admitted: true, suspended: false, quota: e.args.quota, period: 0, used: 0n });
        }
        return true;
      }
      case "IssuerRemoved":
        this.issuers.get(e.args.domainId)?.delete(e.args.issuer);
        return true;
      case "IssuerSuspended":
      case "IssuerReinstated": {
        const state = this.issuer(e.args.domainId, e.args.issuer);
        if (state) state.suspended = e.name === "IssuerSuspended";
        return true;
      }
      case "PartnerSet":
        this.requireDomainRunning(e, e.args.domainId, "a partner was set");
        this.partners.set(`${e.args.domainId}:${e.args.partner}`, e.args.allowed);
        return true;
      case "RoleGranted":
      case "RoleRevoked": {
        if (e.name === "RoleGranted" && e.args.role === COUNCIL_ROLE && this.councilAddress && e.args.account !== this.councilAddress) {
          this.violations.add("RULE", "COUNCIL_ROLE_OUTSIDE_COUNCIL", `The council role was granted to ${e.args.account}, not the council contract.`, e, {
            account: e.args.account,
          });
        }
        const holders = this.roles.get(e.args.role) ?? new Set<E.Addr>();
        if (e.name === "RoleGranted") holders.add(e.args.account);
        else holders.delete(e.args.account);
        this.roles.set(e.args.role, holders);
        return true;
      }
      case "RoleAdminChanged":
        return true;
      default:
        return false;
    }
  }

  /** I7 for changes the global pause stops (closing a period, publishing its positions). */
  requireLedgerRunning(e: E.EventPosition, what: string): void {
    if (this.ledgerPaused) {
      this.violations.add("I7", "CHANGED_WHILE_LEDGER_PAUSED", `While the ledger was paused, ${what}.`, e);
    }
  }

  /**
   * I7 for a change a domain's pause stops: points moving in `domainId`, or its partners, its
   * agreements or its settlement confirmations changing.
   */
  requireDomainRunning(e: E.EventPosition, domainId: number, what: string): void {
    if (this.ledgerPaused) {
      this.violations.add("I7", "CHANGED_WHILE_LEDGER_PAUSED", `While the ledger was paused, ${what} in domain ${domainId}.`, e, {
        domainId,
      });
    } else if (this.domains.get(domainId)?.paused) {
      this.violations.add("I7", "CHANGED_WHILE_DOMAIN_PAUSED", `While domain ${domainId} was paused, ${what} in it.`, e, { domainId });
    }
  }

  roleHolders(): { council: E.Addr[]; pauser: E.Addr[] } {
    return { council: [...(this.roles.get(COUNCIL_ROLE) ?? [])], pauser: [...(this.roles.get(PAUSER_ROLE) ?? [])] };
  }

  private withDomain(e: E.EventPosition, domainId: number, change: (d: DomainState) => void): void {
    const d = this.domains.get(domainId);
    if (d) change(d);
    else this.violations.add("RULE", "UNKNOWN_DOMAIN", `An event names domain ${domainId}, which was never created.`, e, { domainId });
  }
}
