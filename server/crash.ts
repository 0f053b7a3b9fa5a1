/**
 * Injectable crash points for the crash-safety tests: RELAY_CRASH_AT=<point>:<n> makes the process
 * SIGKILL itself the n-th time it passes <point>. Without the variable every call is a no-op.
 */
export const CRASH_POINTS = ["after-journal-write", "after-signing", "after-send", "mid-batch", "before-receipt"] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

const spec = /^([a-z-]+):([1-9][0-9]*)$/.exec(process.env.RELAY_CRASH_AT ?? "");
const target = spec && (CRASH_POINTS as readonly string[]).includes(spec[1]) ? { point: spec[1], at: Number(spec[2]) } : undefined;
let passes = 0;

export function crashPoint(point: CrashPoint): void {
  if (!target || target.point !== point) return;
  passes += 1;
  if (passes === target.at) process.kill(process.pid, "SIGKILL");
}
