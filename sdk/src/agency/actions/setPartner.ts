import type { Address } from "viem";
import { addressSchema } from "../../wire/primitives";
import { setPartnerRequestSchema } from "../../wire/reads";
import { checkedWire, checkedParam, writeOne, type WriteOptions } from "../request";
import type { RelayTransport } from "../transport";
import type { Operation } from "../types";

export interface SetPartnerParameters extends WriteOptions {
  /** The partner's address (a shop, a venue) where residents redeem the agency's points. */
  partner: Address;
  /** true (the default) registers; false removes. */
  allowed?: boolean;
}

export type SetPartnerReturnType = Operation;

/**
 * Registers (or removes) a partner where residents may redeem points of the agency's domain.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * await client.waitForOperation(await client.setPartner({ partner: "0x000000000000000000000000000000000000b1e5" }));
 */
export async function setPartner(transport: RelayTransport, params: SetPartnerParameters): Promise<SetPartnerReturnType> {
  const partner = checkedParam(addressSchema, params.partner, "partner");
  const body = checkedWire(setPartnerRequestSchema, { allowed: params.allowed ?? true }, "partner");
  return writeOne(transport, "PUT", `/v1/partners/${partner}`, body, params);
}
