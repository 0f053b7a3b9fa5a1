/** The community stations contract as the relay reads it, before an assisted operation is journaled (reading is the SDK's). */
import type { Address } from "viem";
import { getStation, isStationStaff, type StationState } from "../../sdk/src/stations/reads";
import type { ChainGateway } from "./gateway";

export class StationReads {
  constructor(
    private readonly gateway: ChainGateway,
    readonly stations: Address,
  ) {}

  /** The station, or undefined for an id never added; ChainUnreachableError when the node cannot be reached. */
  station(stationId: number): Promise<StationState | undefined> {
    return this.gateway.guard("station", () => getStation(this.gateway.client, { stations: this.stations, stationId }));
  }

  isStaff(stationId: number, account: Address): Promise<boolean> {
    return this.gateway.guard("station staff", () => isStationStaff(this.gateway.client, { stations: this.stations, stationId, account }));
  }
}
