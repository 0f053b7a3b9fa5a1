/** A domain as the wire shows it, from the chain's view or the ledger index's: one presentation for both. */
import type { z } from "zod";
import type { domainSchema } from "../../sdk/src/wire/reads";

export interface DomainFacts {
  id: number;
  name: string;
  agency: string;
  pointValue: bigint | number;
  residentCap: bigint;
  transferable: boolean;
  paused: boolean;
  supply: bigint;
}

export function domainToWire(d: DomainFacts): z.output<typeof domainSchema> {
  return {
    id: d.id,
    name: d.name,
    agency: d.agency,
    pointValue: Number(d.pointValue),
    residentCap: d.residentCap.toString(),
    transferable: d.transferable,
    paused: d.paused,
    supply: d.supply.toString(),
  };
}
