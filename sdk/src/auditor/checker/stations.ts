/**
 * Community stations, rebuilt from the stations contract's events: each station's name, limit,
 * state and staff, and every assisted operation. Each `StationAssisted` must be what the contract
 * allows (staff of the station then, the station open, its day's count one more than the last and
 * within the limit in force) and must come, in its own transaction, with the staff member's
 * assertion verified for the stations contract and with the operation itself: the ledger's
 * `PointsRedeemed` or `PointsExchanged`, or the registry's `CredentialAdded`, for the same resident.
 * Operations are counted per station, settlement period, day, kind and staff member.
 */
import type * as E from "../events";
import type { ViolationLog } from "../violations";
import type { StationReport } from "../report";
import { ASSISTED_KINDS, type AssistedKind } from "../../stations/stamp";

interface StationState {
  id: number;
  name: string;
  dailyLimit: number;
  active: boolean;
  staff: Set<E.Addr>;
  day: bigint;
  countToday: number;
  byKind: Record<AssistedKind, number>;
  byStaff: Map<E.Addr, number>;
  byDay: Map<string, number>;
  byPeriod: Map<number, Record<AssistedKind, number>>;
}

/** An assisted operation whose block time the node did not give with the log; the audit reads it afterwards. */
export interface UntimedAssisted {
  stationId: number;
  kind: AssistedKind;
  blockNumber: number;
}

/** What an assisted operation of each kind must come with in its transaction. */
const OPERATION_EVENT: Record<AssistedKind, "CredentialAdded" | "PointsExchanged" | "PointsRedeemed"> = {
  enrolment: "CredentialAdded",
  exchange: "PointsExchanged",
  redemption: "PointsRedeemed",
};

const noKinds = (): Record<AssistedKind, number> => ({ enrolment: 0, exchange: 0, redemption: 0 });

export class StationBook {
  readonly stations = new Map<number, StationState>();
  readonly untimed: UntimedAssisted[] = [];
  assisted = 0;
  /** The registrar, from the latest StationRegistrarSet. */
  registrar: E.Addr | undefined;
  private tx: string | undefined;
  /** This transaction's assisted operations, waiting for their ledger or registry events. */
  private open: E.StationAssisted[] = [];
  /** This transaction's operations (name and resident) not yet matched to an assisted one. */
  private operations: { name: string; resident: E.Addr }[] = [];
  /** Staff accounts whose stamp the registry verified for the stations contract in this transaction. */
  private stamps: E.Addr[] = [];

  constructor(
    private readonly violations: ViolationLog,
    private readonly contract: E.Addr | undefined,
    private readonly clock: () => { genesisTime?: bigint; periodSeconds?: bigint },
  ) {}

  /** Sees every event (for the operations and stamps of a transaction); returns true for the stations' own. */
  apply(e: E.AuditEvent): boolean {
    if (e.transactionHash !== this.tx) this.endTransaction(e.transactionHash);
    switch (e.name) {
      case "PointsRedeemed":
      case "PointsExchanged":
        this.operations.push({ name: e.name, resident: e.args.resident });
        return false;
      case "CredentialAdded":
        if (e.args.authorisedBy === ZERO_KEY) this.operations.push({ name: e.name, resident: e.args.account });
        return false;
      case "PasskeyAssertionVerified":
        if (this.contract !== undefined && e.args.caller === this.contract) this.stamps.push(e.args.account);
        return false;
      case "StationAdded":
        this.stations.set(e.args.stationId, {
          id: e.args.stationId,
          name: e.args.name,
          dailyLimit: e.args.dailyLimit,
          active: true,
          staff: new Set(),
          day: -1n,
          countToday: 0,
          byKind: noKinds(),
          byStaff: new Map(),
          byDay: new Map(),
          byPeriod: new Map(),
        });
        return true;
      case "StationLimitSet": {
        const station = this.station(e);
        if (station) station.dailyLimit = e.args.dailyLimit;
        return true;
      }
      case "StationActiveSet": {
        const station = this.station(e);
        if (station) station.active = e.args.active;
        return true;
      }
      case "StationStaffSet": {
        const staff = this.station(e)?.staff;
        if (e.args.allowed) staff?.add(e.args.account);
        else staff?.delete(e.args.account);
        return true;
      }
      case "StationAssisted":
        this.assistedOperation(e);
        return true;
      case "StationRegistrarSet":
        this.registrar = e.args.registrar;
        return true;
      case "CommunityStationsConfigured":
        return true;
      default:
        return false;
    }
  }

  /** Call after the last event: checks the last transaction. */
  finish(): void {
    this.endTransaction(undefined);
  }

  /** Counts an untimed operation under its period once the audit has read its block's time. */
  placeInPeriod(op: UntimedAssisted, timestamp: bigint): void {
    const station = this.stations.get(op.stationId);
    const period = this.periodOf(timestamp);
    if (station && period !== undefined) periodCounts(station, period)[op.kind]++;
  }

  reports(): StationReport[] {
    return [...this.stations.values()]
      .sort((a, b) => a.id - b.id)
      .map((s) => ({
        id: s.id,
        name: s.name,
        dailyLimit: s.dailyLimit,
        active: s.active,
        staff: [...s.staff].sort(),
        assisted: Object.values(s.byKind).reduce((n, k) => n + k, 0),
        byKind: { ...s.byKind },
        byPeriod: [...s.byPeriod.entries()].sort((a, b) => a[0] - b[0]).map(([period, kinds]) => ({ period, ...kinds })),
        byDay: [...s.byDay.entries()].map(([day, count]) => ({ day: Number(day), date: dateOf(BigInt(day)), count })),
        byStaff: [...s.byStaff.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([staff, count]) => ({ staff, count })),
      }));
  }

  private assistedOperation(e: E.StationAssisted): void {
    const { stationId, staff, kind: kindNumber, day, countToday } = e.args;
    const station = this.station(e);
    const kind = ASSISTED_KINDS[kindNumber];
    if (!station || kind === undefined) {
      if (kind === undefined) this.violations.add("RULE", "STATION_UNKNOWN_KIND", `An assisted operation at station ${stationId} has kind ${kindNumber}, which the stations contract does not define.`, e, { stationId, kind: kindNumber });
      return;
    }
    this.assisted++;
    if (!station.active) this.violations.add("RULE", "STATION_CLOSED", `Station ${stationId} assisted an operation while closed.`, e, { stationId });
    if (!station.staff.has(staff)) this.violations.add("RULE", "STATION_NOT_STAFF", `${staff} stamped an operation at station ${stationId} without being its staff.`, e, { stationId, staff });
    const expected = station.day === day ? station.countToday + 1 : 1;
    if (countToday !== expected || countToday > station.dailyLimit) {
      this.violations.add(
        "RULE",
        "STATION_DAILY_COUNT",
        `Station ${stationId}'s assisted operation ${countToday} of day ${day} should be number ${expected}, within its limit of ${station.dailyLimit}.`,
        e,
        { stationId, day: day.toString(), countToday, expected, dailyLimit: station.dailyLimit },
      );
    }
    if (e.blockTimestamp !== undefined && BigInt(e.blockTimestamp) / 86_400n !== day) {
      this.violations.add("RULE", "STATION_WRONG_DAY", `Station ${stationId}'s operation states day ${day}, but its block is of day ${BigInt(e.blockTimestamp) / 86_400n}.`, e, { stationId, day: day.toString() });
    }
    station.day = day;
    station.countToday = countToday;
    station.byKind[kind]++;
    station.byStaff.set(staff, (station.byStaff.get(staff) ?? 0) + 1);
    station.byDay.set(day.toString(), (station.byDay.get(day.toString()) ?? 0) + 1);
    const period = e.blockTimestamp === undefined ? undefined : this.periodOf(BigInt(e.blockTimestamp));
    if (period === undefined) this.untimed.push({ stationId, kind, blockNumber: e.blockNumber });
    else periodCounts(station, period)[kind]++;
    this.open.push(e);
  }

  /** Every assisted operation of the transaction that ended must have its stamp and its operation. */
  private endTransaction(next: string | undefined): void {
    for (const e of this.open) {
      const kind = ASSISTED_KINDS[e.args.kind];
      const stamp = this.stamps.indexOf(e.args.staff);
      if (stamp < 0) {
        this.violations.add("RULE", "STATION_NO_STAMP", `Station ${e.args.stationId}'s operation for ${e.args.resident} has no assertion of ${e.args.staff} verified for the stations contract in its transaction.`, e, { stationId: e.args.stationId, staff: e.args.staff });
      } else {
        this.stamps.splice(stamp, 1);
      }
      const match = this.operations.findIndex((o) => o.name === OPERATION_EVENT[kind] && o.resident === e.args.resident);
      if (match < 0) {
        this.violations.add(
          "RULE",
          "STATION_NO_OPERATION",
          `Station ${e.args.stationId} records a ${kind} for ${e.args.resident}, but its transaction has no ${OPERATION_EVENT[kind]} for that account.`,
          e,
          { stationId: e.args.stationId, kind, resident: e.args.resident },
        );
      } else {
        this.operations.splice(match, 1);
      }
    }
    this.tx = next;
    this.open = [];
    this.operations = [];
    this.stamps = [];
  }

  private station(e: E.StationLimitSet | E.StationActiveSet | E.StationStaffSet | E.StationAssisted): StationState | undefined {
    const station = this.stations.get(e.args.stationId);
    if (!station) {
      this.violations.add("RULE", "STATION_UNKNOWN", `An event names station ${e.args.stationId}, which was never added.`, e, { stationId: e.args.stationId });
    }
    return station;
  }

  private periodOf(timestamp: bigint): number | undefined {
    const { genesisTime, periodSeconds } = this.clock();
    if (genesisTime === undefined || !periodSeconds || timestamp < genesisTime) return undefined;
    return Number((timestamp - genesisTime) / periodSeconds);
  }
}

const ZERO_KEY = `0x${"0".repeat(64)}`;

function periodCounts(station: StationState, period: number): Record<AssistedKind, number> {
  let counts = station.byPeriod.get(period);
  if (!counts) station.byPeriod.set(period, (counts = noKinds()));
  return counts;
}

/** The UTC date of a day number, as YYYY-MM-DD. */
function dateOf(day: bigint): string {
  return new Date(Number(day) * 86_400_000).toISOString().slice(0, 10);
}
