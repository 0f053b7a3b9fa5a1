/**
 * Reading community stations from the chain: a station's name, limit, state and today's count, and
 * whether an account is its staff. Browser-safe (viem only): the station terminal and the relay use it.
 */
import type { Address, Client } from "viem";
import { readContract } from "viem/actions";
import { communityStationsAbi } from "../abi";

export interface StationState {
  id: number;
  name: string;
  dailyLimit: number;
  active: boolean;
  /** Today (unix seconds / 86 400 at the block read). */
  day: bigint;
  /** Assisted operations today. */
  countToday: number;
}

/** The station, or undefined when no station has that id. */
export async function getStation(client: Client, params: { stations: Address; stationId: number }): Promise<StationState | undefined> {
  const count = await readContract(client, { address: params.stations, abi: communityStationsAbi, functionName: "stationCount" });
  if (params.stationId < 1 || params.stationId > count) return undefined;
  const s = await readContract(client, { address: params.stations, abi: communityStationsAbi, functionName: "station", args: [params.stationId] });
  return { id: params.stationId, name: s.name, dailyLimit: s.dailyLimit, active: s.active, day: s.day, countToday: s.countToday };
}

/** Whether `account` is staff of the station now. */
export function isStationStaff(client: Client, params: { stations: Address; stationId: number; account: Address }): Promise<boolean> {
  return readContract(client, { address: params.stations, abi: communityStationsAbi, functionName: "isStaff", args: [params.stationId, params.account] });
}
