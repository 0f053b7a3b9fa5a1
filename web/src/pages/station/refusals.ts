/**
 * A station's refusals in plain words: the station's own (limit reached, closed, not staff, from
 * the relay before journaling or from the contract after), then everything the wallet already
 * words (refusalOf: balance, expiry, a cancelled tap...).
 */
import type { MessageKey } from "../../i18n/i18n";
import { refusalOf } from "../../resident/refusals";
import { OperationFailed, RelayRefusal } from "../../resident/relay";
import { NotStaffError } from "../../resident/station";

const STATION_ERRORS: Record<string, MessageKey> = {
  StationsDailyLimitReached: "station.refusal.limit",
  StationsNotStaff: "station.refusal.notStaff",
  StationsStationClosed: "station.refusal.closed",
  StationsUnknownStation: "station.refusal.unknown",
};

export function stationRefusalOf(error: unknown): MessageKey {
  if (error instanceof NotStaffError) return "station.refusal.notStaff";
  if (error instanceof OperationFailed && STATION_ERRORS[error.errorName]) return STATION_ERRORS[error.errorName]!;
  if (error instanceof RelayRefusal) {
    // server/services/stations.ts: 409 for the day's limit or a closed station, 403 for not staff, 404 for no such station.
    if (error.status === 409 && /reached its limit/.test(error.message)) return "station.refusal.limit";
    if (error.status === 409 && /is closed/.test(error.message)) return "station.refusal.closed";
    if (error.status === 403) return "station.refusal.notStaff";
    if (error.status === 404) return "station.refusal.unknown";
  }
  return refusalOf(error);
}
