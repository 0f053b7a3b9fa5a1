/**
 * The app's only door to the relay: GET a path of its API, check the answer against the SDK's wire
 * schema (so a relay and an app that drifted apart fail loudly, not with wrong figures), and turn
 * every failure into an ApiError whose kind the pages word for people.
 */
import type { z } from "zod";

export type ApiErrorKind = "network" | "not_found" | "rate_limited" | "invalid" | "unavailable" | "other";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function kindOf(status: number): ApiErrorKind {
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status === 400) return "invalid";
  if (status === 503) return "unavailable";
  return "other";
}

export async function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" }, signal });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError("network", `cannot reach ${path}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.ok ? "other" : kindOf(response.status), `${path}: the answer is not JSON`, response.status);
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: string } })?.error?.message ?? `HTTP ${response.status}`;
    throw new ApiError(kindOf(response.status), message, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError("other", `${path}: the answer does not match the API (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}
