import type { Address } from "viem";
import { addressSchema } from "../../wire/primitives";
import { balancesResponseSchema } from "../../wire/reads";
import { checkedParam, read, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";

export interface GetBalancesParameters extends ReadOptions {
  resident: Address;
}

export interface ResidentBalances {
  resident: Address;
  /** Every domain: the balance, and the nonce the resident's next intent spending from it must carry. */
  balances: { domainId: number; balance: bigint; nextNonce: bigint }[];
}

export type GetBalancesReturnType = ResidentBalances;

/**
 * A resident's balance and next intent nonce in every domain, read from the chain.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const { balances } = await client.getBalances({ resident: "0x9a3Dc1E5D1d4A1bF0A2F24B2D2f7e3c1b2A3C4D5" });
 * const volunteer = balances.find((b) => b.domainId === 1)!; // volunteer.balance, volunteer.nextNonce
 */
export async function getBalances(transport: RelayTransport, params: GetBalancesParameters): Promise<GetBalancesReturnType> {
  const resident = checkedParam(addressSchema, params.resident, "resident");
  return read(
    transport,
    `/v1/residents/${resident}/balances`,
    balancesResponseSchema,
    (a) => ({
      resident: a.resident as Address,
      balances: a.balances.map((b) => ({ domainId: b.domainId, balance: BigInt(b.balance), nextNonce: BigInt(b.nextNonce) })),
    }),
    params,
  );
}
