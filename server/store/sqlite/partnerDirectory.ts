/** The partner directory on SQLite: one row per (domain, partner), written at once (a rare agency write). */
import type Database from "better-sqlite3";
import type { PartnerDirectory, PartnerNameRecord } from "../journal";

interface Row {
  domain_id: number;
  address: string;
  name: string;
  updated_at: number;
}

const toRecord = (r: Row): PartnerNameRecord => ({ domainId: r.domain_id, address: r.address, name: r.name, updatedAt: r.updated_at });

export class SqlitePartnerDirectory implements PartnerDirectory {
  private readonly s;

  constructor(db: Database.Database) {
    const columns = "SELECT domain_id, address, name, updated_at FROM partner_names";
    this.s = {
      upsert: db.prepare(
        "INSERT INTO partner_names (domain_id, address, name, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (domain_id, address) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
      ),
      all: db.prepare<[], Row>(`${columns} ORDER BY domain_id, name, address`),
      inDomain: db.prepare<[number], Row>(`${columns} WHERE domain_id = ? ORDER BY name, address`),
      byAddress: db.prepare<[string], Row>(`${columns} WHERE address = ? ORDER BY domain_id`),
    };
  }

  async setName(entry: PartnerNameRecord): Promise<void> {
    this.s.upsert.run(entry.domainId, entry.address.toLowerCase(), entry.name, entry.updatedAt);
  }

  async list(domainId?: number): Promise<PartnerNameRecord[]> {
    return (domainId === undefined ? this.s.all.all() : this.s.inDomain.all(domainId)).map(toRecord);
  }

  async byAddress(address: string): Promise<PartnerNameRecord[]> {
    return this.s.byAddress.all(address.toLowerCase()).map(toRecord);
  }
}
