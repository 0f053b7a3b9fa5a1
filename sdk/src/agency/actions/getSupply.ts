import { supplyResponseSchema } from "../../wire/reads";
import { read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";

export type GetSupplyParameters = ReadOptions;
export type GetSupplyReturnType = { domainId: number; supply: bigint }[];

/**
 * Points in existence per domain.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const supply = await client.getSupply(); // [{ domainId: 1, supply: 1250n }, ...]
 */
export async function getSupply(transport: RelayTransport, params: GetSupplyParameters = {}): Promise<GetSupplyReturnType> {
  return read(transport, "/v1/supply", supplyResponseSchema, (a) => a.supply.map((s) => ({ domainId: s.domainId, supply: BigInt(s.supply) })), params);
}
