import type { Address } from "viem";
import { addressSchema } from "../../wire/primitives";
import { partnerEntryResponseSchema, partnerNameRequestSchema, type PartnerEntry } from "../../wire/partners";
import { checkedParam, checkedWire, type ReadOptions } from "../request";
import type { RelayTransport } from "../transport";
import { readAnswer } from "../types";

export interface SetPartnerNameParameters extends ReadOptions {
  /** A partner of the agency's domain on chain (register it with `setPartner` first). */
  partner: Address;
  /** The display name residents and the partner's checkout show, e.g. "社区便民超市" (1-80 characters). */
  name: string;
}

export type SetPartnerNameReturnType = PartnerEntry;

/**
 * Names a partner of the agency's domain in the relay's partner directory. Not a ledger call: the
 * relay stores it at once and answers with the entry; it refuses (409) an address the ledger does
 * not list as a partner of the agency's domain.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * await client.setPartnerName({ partner: "0x000000000000000000000000000000000000b1e5", name: "社区便民超市" });
 */
export async function setPartnerName(transport: RelayTransport, params: SetPartnerNameParameters): Promise<SetPartnerNameReturnType> {
  const partner = checkedParam(addressSchema, params.partner, "partner");
  const body = checkedWire(partnerNameRequestSchema, { name: params.name }, "partner name");
  const path = `/v1/partners/${partner}/name`;
  const answer = await transport.request({ method: "PUT", path, body, signal: params.signal, write: false });
  return readAnswer(partnerEntryResponseSchema, answer, `PUT ${path}`, (a) => a.partner);
}
