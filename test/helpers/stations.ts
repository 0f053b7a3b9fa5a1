/**
 * Community stations in contract and SDK tests: the stations contract deployed beside a ledger
 * (deployer as registrar), a station with one staff member, and assisted operations carrying the
 * resident's assertion and the staff member's stamp, made with the SDK as the station terminal makes them.
 */
import { ethers } from "hardhat";
import type { Hex } from "viem";
import { encodePasskeyAssertion, intentDigest } from "../../sdk/src/resident/passkeys";
import { enrolmentHash, stationDay, stationStampDigest, type AssistedKind } from "../../sdk/src/stations/stamp";
import type { IntentMessages } from "../../sdk/src/eip712";
import type { CommunityStations, PointsLedger } from "../../typechain-types";
import type { LedgerSetup } from "./deploy";
import { assertionOf, chainId, FAR_DEADLINE, newPasskey, registerPasskey, type TestPasskey } from "./passkeys";

export async function deployStations(setup: LedgerSetup): Promise<CommunityStations> {
  const [registrar] = await ethers.getSigners();
  return ethers.deployContract("CommunityStations", [await setup.council.getAddress(), await setup.ledger.getAddress(), await setup.passkeys.getAddress(), await registrar.getAddress()]);
}

/** Adds a station with `dailyLimit` and a registered staff passkey appointed to it. */
export async function stationWithStaff(setup: LedgerSetup, stations: CommunityStations, name: string, dailyLimit: number): Promise<{ stationId: number; staff: TestPasskey }> {
  await (await stations.addStation(name, dailyLimit)).wait();
  const stationId = Number(await stations.stationCount());
  const staff = await newPasskey();
  await registerPasskey(setup.passkeys, staff);
  await (await stations.setStaff(stationId, staff.account, true)).wait();
  return { stationId, staff };
}

/** The day the next block will most likely fall on (tests keep clear of midnight). */
export async function chainDay(): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  return stationDay(block!.timestamp);
}

/** The staff member's encoded assertion of a stamp. */
export async function stamp(stations: CommunityStations, staff: TestPasskey, stationId: number, kind: AssistedKind, operation: Hex, day?: bigint): Promise<Hex> {
  const digest = stationStampDigest({ stationId, kind, operation, day: day ?? (await chainDay()) }, { chainId: await chainId(), address: (await stations.getAddress()) as Hex });
  return encodePasskeyAssertion(await assertionOf(staff, digest));
}

/** A redemption signed by the resident's card and stamped by `staff`, ready for redeemAssisted. */
export async function assistedRedemption(ledger: PointsLedger, stations: CommunityStations, stationId: number, resident: TestPasskey, staff: TestPasskey, intent: IntentMessages["RedeemIntent"], options: { day?: bigint; residentSigner?: TestPasskey } = {}) {
  const digest = intentDigest("RedeemIntent", intent, { chainId: await chainId(), address: (await ledger.getAddress()) as Hex });
  const residentAssertion = encodePasskeyAssertion(await assertionOf(options.residentSigner ?? resident, digest));
  const staffAssertion = await stamp(stations, staff, stationId, "redemption", digest, options.day);
  return { digest, args: [stationId, intent, residentAssertion, staff.account, staffAssertion] as const };
}

/** An exchange signed by the resident's card and stamped by `staff`, ready for exchangeAssisted. */
export async function assistedExchange(ledger: PointsLedger, stations: CommunityStations, stationId: number, resident: TestPasskey, staff: TestPasskey, intent: IntentMessages["ExchangeIntent"]) {
  const digest = intentDigest("ExchangeIntent", intent, { chainId: await chainId(), address: (await ledger.getAddress()) as Hex });
  const residentAssertion = encodePasskeyAssertion(await assertionOf(resident, digest));
  const staffAssertion = await stamp(stations, staff, stationId, "exchange", digest);
  return { digest, args: [stationId, intent, residentAssertion, staff.account, staffAssertion] as const };
}

/** A new card's registration stamped by `staff`, ready for enrolAssisted. */
export async function assistedEnrolment(stations: CommunityStations, stationId: number, card: TestPasskey, staff: TestPasskey) {
  const staffAssertion = await stamp(stations, staff, stationId, "enrolment", enrolmentHash(card.publicKey, card.rawId));
  return [stationId, card.publicKey.x, card.publicKey.y, card.rawId, staff.account, staffAssertion] as const;
}

export function redemptionOf(resident: string, partner: string, fields: Partial<IntentMessages["RedeemIntent"]> = {}): IntentMessages["RedeemIntent"] {
  return { resident: resident as Hex, domainId: 1, amount: 40n, partner: partner as Hex, orderRef: ethers.id(`order-${fields.nonce ?? 0n}`) as Hex, nonce: 0n, deadline: FAR_DEADLINE, ...fields };
}
