/**
 * Partners: where residents of the agency's domain may redeem their points (a ledger call), and the
 * directory of their display names (the journal's; the chain stays the authority on who is a partner).
 */
import type { Address } from "viem";
import type { PartnerEntry } from "../../sdk/src/wire/partners";
import type { LedgerReads } from "../chain/ledgerReads";
import { ConflictError, NotFoundError } from "../errors";
import type { Agency } from "../keystore";
import type { OperationRecord, PartnerDirectory, PartnerNameRecord } from "../store/journal";
import { agencyOperation, type Intake, type WriteRequest } from "./intake";

const toEntry = (r: PartnerNameRecord): PartnerEntry => ({ domainId: r.domainId, address: r.address as Address, name: r.name, updatedAt: r.updatedAt });

export class PartnerService {
  constructor(
    private readonly intake: Intake,
    private readonly reads: LedgerReads,
    private readonly directory: PartnerDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers the partner in the agency's domain, or removes it (`allowed: false`). */
  set(agency: Agency, write: WriteRequest, partner: Address, allowed: boolean): Promise<OperationRecord> {
    return this.intake.acceptOne(write, async () =>
      agencyOperation(agency, { kind: "partner.set", payload: { domainId: agency.domainId, partner, allowed } }),
    );
  }

  /**
   * Names a partner of the agency's domain. Only an address the chain lists as a partner there
   * (`isPartner`, at the latest block) gets a name: registering it on chain comes first.
   */
  async setName(agency: Agency, partner: Address, name: string): Promise<PartnerEntry> {
    if (!(await this.reads.isPartner(agency.domainId, partner))) {
      throw new ConflictError(`${partner} is not a partner of domain ${agency.domainId} on the ledger: register it (PUT /v1/partners/${partner}) before naming it`, {
        details: [{ path: "params.address", message: "not a partner of the agency's domain" }],
      });
    }
    const entry = { domainId: agency.domainId, address: partner.toLowerCase(), name, updatedAt: Math.floor(this.now() / 1000) };
    await this.directory.setName(entry);
    return toEntry(entry);
  }

  async list(domainId?: number): Promise<PartnerEntry[]> {
    return (await this.directory.list(domainId)).map(toEntry);
  }

  /** The partner's entries in every domain; 404 when no agency named it. */
  async entries(partner: Address): Promise<PartnerEntry[]> {
    const found = (await this.directory.byAddress(partner)).map(toEntry);
    if (found.length === 0) throw new NotFoundError(`no agency has named partner ${partner} in the directory`, { details: [{ path: "params.address", message: "not in the directory" }] });
    return found;
  }
}
