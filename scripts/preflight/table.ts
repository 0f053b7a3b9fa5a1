/** The pass/fail table preflight prints. */
import type { CheckResult } from "./checks";

export function formatTable(results: CheckResult[]): string {
  const width = Math.max("check".length, ...results.map((r) => r.check.length));
  const rows = results.map((r) => `${r.check.padEnd(width)}  ${r.status.toUpperCase().padEnd(8)}${r.detail}`);
  return [`${"check".padEnd(width)}  result  detail`, ...rows].join("\n");
}
