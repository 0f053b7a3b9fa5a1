/**
 * The wallet's calls to the relay: its reads (checked against the SDK's wire schemas, through the
 * app's getJson), its writes (a resident's signed intent or passkey registration, each with an
 * Idempotency-Key so a retry is the same operation) and following an operation until it is final.
 */
import {
  balancesResponseSchema,
  historyResponseSchema,
  operationResponseSchema,
  partnerListSchema,
  passkeyAccountResponseSchema,
  type Operation,
} from "@city-points/sdk/wire";
import { deploymentSchema } from "@city-points/sdk/resident";
import { z } from "zod";
import { ApiError, getJson } from "../api/client";

/** A write the relay refused: its HTTP status and error code (server/errors.ts), never shown as is. */
export class RelayRefusal extends Error {
  override readonly name = "RelayRefusal";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An operation that ended failed: the ledger's custom error (or a relay reason) by name. */
export class OperationFailed extends Error {
  override readonly name = "OperationFailed";
  constructor(readonly errorName: string) {
    super(`the operation failed: ${errorName}`);
  }
}

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export async function postJson(path: string, body: unknown, idempotencyKey: string): Promise<Operation> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey, accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError("network", `cannot reach ${path}`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = errorBodySchema.safeParse(json);
    throw new RelayRefusal(response.status, parsed.success ? parsed.data.error.code : "unknown", parsed.success ? parsed.data.error.message : `HTTP ${response.status}`);
  }
  const parsed = operationResponseSchema.safeParse(json);
  if (!parsed.success) throw new ApiError("other", `${path}: the answer does not match the API`);
  return parsed.data.operation;
}

const POLL_MS = 400;
const FOLLOW_MS = 120_000;

/** Follows an operation to confirmed (returned) or failed (thrown as OperationFailed). */
export async function followOperation(id: string): Promise<Operation> {
  const deadline = Date.now() + FOLLOW_MS;
  for (;;) {
    const { operation } = await getJson(`/v1/operations/${id}`, operationResponseSchema);
    if (operation.status === "confirmed") return operation;
    if (operation.status === "failed") throw new OperationFailed(operation.error?.name ?? "unknown");
    if (Date.now() > deadline) throw new ApiError("unavailable", `operation ${id} is not final yet`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

let deployment: Promise<{ chainId: number; ledger: `0x${string}` }> | undefined;

/** The chain id and ledger address the resident signs for (the EIP-712 domain; asked once per page load). */
export function getDeployment() {
  deployment ??= getJson("/v1/ledger/deployment", deploymentSchema).then(({ chainId, ledger }) => ({ chainId, ledger })).catch((error: unknown) => {
    deployment = undefined;
    throw error;
  });
  return deployment;
}

export const residentApi = {
  account: (address: string) => getJson(`/v1/resident/passkeys/${address}`, passkeyAccountResponseSchema),
  balances: (address: string, signal?: AbortSignal) => getJson(`/v1/residents/${address}/balances`, balancesResponseSchema, signal),
  historyPage: (address: string, cursor: string | undefined, signal?: AbortSignal) =>
    getJson(`/v1/residents/${address}/history${cursor ? `?cursor=${cursor}` : ""}`, historyResponseSchema, signal),
  /** The partner's display name in the directory, or undefined when the directory has none (404). */
  async partnerName(address: string, domainId: number, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const { partners } = await getJson(`/v1/partners/${address}`, partnerListSchema, signal);
      return (partners.find((p) => p.domainId === domainId) ?? partners[0])?.name;
    } catch (error) {
      if (error instanceof ApiError && error.kind === "not_found") return undefined;
      throw error;
    }
  },
};
