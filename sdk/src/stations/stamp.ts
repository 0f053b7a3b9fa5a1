/**
 * A staff member's stamp on an operation done at a community station: the EIP-712 message
 * `StationStamp(uint32 stationId,uint8 kind,bytes32 operation,uint64 day)` under the stations
 * contract's domain, which the staff member's passkey signs. The same type string as
 * contracts/CommunityStations.sol; a contract test compares the digests with the contract's.
 */
import { encodeAbiParameters, hashTypedData, keccak256, type Address, type Hex } from "viem";
import { passkeyKeyId } from "../resident/passkeys/publicKey";
import type { P256PublicKey } from "../resident/passkeys/publicKey";

export const STATIONS_EIP712_NAME = "CityPointsStations";
export const STATIONS_EIP712_VERSION = "1";
export const SECONDS_PER_DAY = 86_400;

/** What a staff member helped with, as `ICommunityStations.AssistedKind` numbers it. */
export const ASSISTED_KINDS = ["enrolment", "exchange", "redemption"] as const;
export type AssistedKind = (typeof ASSISTED_KINDS)[number];

export const stationStampType = [
  { name: "stationId", type: "uint32" },
  { name: "kind", type: "uint8" },
  { name: "operation", type: "bytes32" },
  { name: "day", type: "uint64" },
] as const;

/** Where a deployment's stations contract lives. */
export interface StationsContract {
  chainId: number | bigint;
  address: Address;
}

export interface StationStamp {
  stationId: number;
  kind: AssistedKind;
  /** For an exchange or redemption the intent's ledger digest (`intentDigest`); for an enrolment {@link enrolmentHash}. */
  operation: Hex;
  /** `unix seconds / 86 400`: the stamp is valid on that UTC day only. */
  day: bigint;
}

/** The day a stamp names for a moment (unix seconds): the contract's `block.timestamp / 1 days`. */
export function stationDay(unixSeconds: number | bigint): bigint {
  return BigInt(unixSeconds) / BigInt(SECONDS_PER_DAY);
}

/** What an enrolment's stamp names: the new credential's key id and its credential id's hash. */
export function enrolmentHash(publicKey: P256PublicKey, credentialId: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [passkeyKeyId(publicKey), keccak256(credentialId)]));
}

/** The digest the staff member's assertion carries as its challenge. */
export function stationStampDigest(stamp: StationStamp, stations: StationsContract): Hex {
  return hashTypedData({
    domain: { name: STATIONS_EIP712_NAME, version: STATIONS_EIP712_VERSION, chainId: Number(stations.chainId), verifyingContract: stations.address },
    types: { StationStamp: stationStampType },
    primaryType: "StationStamp",
    message: { stationId: stamp.stationId, kind: ASSISTED_KINDS.indexOf(stamp.kind), operation: stamp.operation, day: stamp.day },
  });
}
