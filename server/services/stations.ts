/**
 * Community stations: the checks an assisted operation passes before it is journaled, on top of the
 * resident's own (IntentService, PasskeyService): the station exists and is open, the stamping
 * account is its staff, the day's limit is not reached on chain, and the staff member's assertion
 * verifies over the stamp for today from an active credential of that account. The contract
 * decides again; an operation that then fails (another terminal took the last of the day's limit
 * first) fails with the contract's StationsDailyLimitReached.
 */
import type { Address, Hex } from "viem";
import { passkeyKeyId } from "../../sdk/src/resident/passkeys/publicKey";
import { verifyPasskeyAssertion } from "../../sdk/src/resident/passkeys/verify";
import { stationStampDigest, type AssistedKind } from "../../sdk/src/stations/stamp";
import type { StationState } from "../../sdk/src/stations/reads";
import type { StaffStamp } from "../../sdk/src/wire/stations";
import type { PasskeyReads } from "../chain/passkeyReads";
import type { StationReads } from "../chain/stationReads";
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from "../errors";

/** What the journal keeps of a stamp beside the resident's operation. */
export interface StationStampPayload {
  stationId: number;
  staff: Address;
  staffPasskey: StaffStamp["passkey"];
}

export class StationService {
  constructor(
    private readonly chainId: number,
    readonly reads: StationReads,
    private readonly passkeys: PasskeyReads,
  ) {}

  /** The station as the API shows it; NotFoundError for an id never added. */
  async station(stationId: number) {
    const s = await this.existing(stationId);
    return { id: s.id, contract: this.reads.stations.toLowerCase(), name: s.name, dailyLimit: s.dailyLimit, active: s.active, day: Number(s.day), countToday: s.countToday };
  }

  async staff(stationId: number, account: Address) {
    await this.existing(stationId);
    return { stationId, account: account.toLowerCase(), staff: await this.reads.isStaff(stationId, account) };
  }

  /** Checks the stamp on `operation` (the intent's ledger digest, or the enrolment hash); returns what to journal. */
  async checkStamp(stationId: number, kind: AssistedKind, operation: Hex, stamp: StaffStamp): Promise<StationStampPayload> {
    const station = await this.existing(stationId);
    if (!station.active) throw new ConflictError(`station ${stationId} is closed`, { details: { stationId } });
    if (!(await this.reads.isStaff(stationId, stamp.account))) {
      throw new ForbiddenError(`${stamp.account.toLowerCase()} is not staff of station ${stationId}`, { details: { stationId, account: stamp.account.toLowerCase() } });
    }
    if (station.countToday >= station.dailyLimit) {
      throw new ConflictError(`station ${stationId} has reached its limit of ${station.dailyLimit} assisted operations today`, {
        details: { stationId, dailyLimit: station.dailyLimit, countToday: station.countToday, day: Number(station.day) },
      });
    }
    // Today as the chain counts it (the station view's day at the latest block), which the contract will check the stamp against.
    const challenge = stationStampDigest({ stationId, kind, operation, day: station.day }, { chainId: this.chainId, address: this.reads.stations });
    const verdict = await verifyPasskeyAssertion(stamp.passkey, { challenge });
    if (!verdict.valid) {
      throw new UnauthenticatedError(`the staff stamp is refused: ${verdict.message}`, { details: [{ path: "body.staff.passkey", message: verdict.reason }] });
    }
    const credential = await this.passkeys.credential(passkeyKeyId(stamp.passkey.publicKey));
    if (credential.status !== "active" || credential.account.toLowerCase() !== stamp.account.toLowerCase()) {
      throw new UnauthenticatedError("the staff stamp is not signed by an active credential of staff.account", { details: [{ path: "body.staff.passkey.publicKey", message: `credential is ${credential.status}` }] });
    }
    return { stationId, staff: stamp.account, staffPasskey: stamp.passkey };
  }

  private async existing(stationId: number): Promise<StationState> {
    const station = await this.reads.station(stationId);
    if (!station) throw new NotFoundError(`there is no station ${stationId}`, { details: { stationId } });
    return station;
  }
}
