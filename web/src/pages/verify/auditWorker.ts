/**
 * The browser audit, off the page's thread: the SDK's audit() against the relay's read-only gateway
 * (`/rpc` on the page's own origin), posting its progress and then its report. The page ends it
 * with `terminate()` to cancel.
 */
import { audit, type AuditProgress, type AuditReport } from "@city-points/sdk/auditor";

export interface AuditRequest {
  /** The deployment record, as `GET /v1/ledger/deployment` gave it. */
  deployment: unknown;
  /** The block to audit: the one the relay's index had reached, so the figures compare at one block. */
  toBlock?: number;
}

export type AuditMessage =
  | { kind: "progress"; progress: AuditProgress }
  | { kind: "done"; report: AuditReport }
  | { kind: "failed"; name: string; message: string };

// The app's TypeScript library is the DOM's; a worker's global differs only in what is used here.
const scope = self as unknown as { onmessage: ((e: MessageEvent<AuditRequest>) => void) | null; postMessage(message: AuditMessage): void };

scope.onmessage = (e) => {
  const rpcUrl = new URL("/rpc", self.location.origin).href;
  audit({ rpcUrl, deployment: e.data.deployment, toBlock: e.data.toBlock, onProgress: (progress) => scope.postMessage({ kind: "progress", progress }) }).then(
    (report) => scope.postMessage({ kind: "done", report }),
    (error: unknown) => scope.postMessage({ kind: "failed", name: (error as Error).name ?? "Error", message: (error as Error).message ?? String(error) }),
  );
};
