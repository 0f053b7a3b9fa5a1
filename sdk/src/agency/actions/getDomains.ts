import { domainsResponseSchema } from "../../wire/reads";
import { read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { toDomain, type Domain } from "../types";

export type GetDomainsParameters = ReadOptions;

export interface GetDomainsReturnType {
  domains: Domain[];
  /** The settlement period now, and the length of one. */
  currentPeriod: number;
  periodSeconds: number;
}

/**
 * Every domain with its agency, point value, policies and supply, and the period clock.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const { domains, currentPeriod } = await client.getDomains();
 * for (const d of domains) console.log(d.id, d.name, d.supply);
 */
export async function getDomains(transport: RelayTransport, params: GetDomainsParameters = {}): Promise<GetDomainsReturnType> {
  return read(
    transport,
    "/v1/domains",
    domainsResponseSchema,
    (a) => ({ domains: a.domains.map(toDomain), currentPeriod: a.currentPeriod, periodSeconds: a.periodSeconds }),
    params,
  );
}
