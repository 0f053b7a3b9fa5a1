/**
 * The partner directory on PostgreSQL: one row per (domain, partner); the primary key settles
 * concurrent changes (the last one stays). Names sort by code point (COLLATE "C"), as SQLite's do.
 */
import type { Pool } from "pg";
import type { PartnerDirectory, PartnerNameRecord } from "../journal";

interface Row {
  domain_id: number;
  address: string;
  name: string;
  updated_at: string;
}

const toRecord = (r: Row): PartnerNameRecord => ({ domainId: r.domain_id, address: r.address, name: r.name, updatedAt: Number(r.updated_at) });
const COLUMNS = "SELECT domain_id, address, name, updated_at FROM partner_names";

export class PgPartnerDirectory implements PartnerDirectory {
  constructor(private readonly pool: Pool) {}

  async setName(entry: PartnerNameRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO partner_names (domain_id, address, name, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (domain_id, address) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at`,
      [entry.domainId, entry.address.toLowerCase(), entry.name, entry.updatedAt],
    );
  }

  async list(domainId?: number): Promise<PartnerNameRecord[]> {
    const { rows } =
      domainId === undefined
        ? await this.pool.query<Row>(`${COLUMNS} ORDER BY domain_id, name COLLATE "C", address`)
        : await this.pool.query<Row>(`${COLUMNS} WHERE domain_id = $1 ORDER BY name COLLATE "C", address`, [domainId]);
    return rows.map(toRecord);
  }

  async byAddress(address: string): Promise<PartnerNameRecord[]> {
    const { rows } = await this.pool.query<Row>(`${COLUMNS} WHERE address = $1 ORDER BY domain_id`, [address.toLowerCase()]);
    return rows.map(toRecord);
  }
}
