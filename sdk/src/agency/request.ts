/**
 * What every action shares: request bodies checked with the relay's own request schemas before
 * they are sent (a bad amount is the caller's InvalidArgumentError at once, with no round trip),
 * and writes that answer with operations.
 */
import type { z } from "zod";
import { InvalidArgumentError } from "../errors/base";
import { operationResponseSchema, operationsResponseSchema } from "../wire/operations";
import type { HttpMethod, RelayTransport } from "./transport";
import { readAnswer, toOperation, type Operation } from "./types";

/** Options every write takes. */
export interface WriteOptions {
  /**
   * Makes the request the same one however often it is sent: the relay answers a repeat with the
   * operations of the first. One is generated when omitted (and kept across the client's retries);
   * pass your own (e.g. from your record's id) to make retries across restarts of your process safe.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Options every read takes. */
export interface ReadOptions {
  signal?: AbortSignal;
}

/**
 * Checks a wire value (a body, a query) against the relay's request schema; returns it to send (the wire
 * form, as given) or throws InvalidArgumentError naming each problem.
 */
export function checkedWire<T>(schema: z.ZodType, body: T, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
    throw new InvalidArgumentError(`Invalid ${what}: ${problems.join("; ")}.`, { details: { problems } });
  }
  return body;
}

export function checkedParam<T>(schema: z.ZodType, value: T, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InvalidArgumentError(`Invalid ${what}: ${result.error.issues.map((i) => i.message).join("; ")}.`, { details: { [what]: String(value) } });
  }
  return value;
}

/** A write that answers 202 with one operation. */
export async function writeOne(
  transport: RelayTransport,
  method: HttpMethod,
  path: string,
  body: unknown,
  options: WriteOptions = {},
): Promise<Operation> {
  const answer = await transport.request({ method, path, body, idempotencyKey: options.idempotencyKey, signal: options.signal, write: true });
  return readAnswer(operationResponseSchema, answer, `${method} ${path}`, (a) => toOperation(a.operation));
}

/** A write that answers 202 with one operation per item. */
export async function writeMany(transport: RelayTransport, method: HttpMethod, path: string, body: unknown, options: WriteOptions = {}): Promise<Operation[]> {
  const answer = await transport.request({ method, path, body, idempotencyKey: options.idempotencyKey, signal: options.signal, write: true });
  return readAnswer(operationsResponseSchema, answer, `${method} ${path}`, (a) => a.operations.map(toOperation));
}

/** A read: GET, parsed with its wire schema and converted. */
export async function read<S extends z.ZodType, T>(
  transport: RelayTransport,
  path: string,
  schema: S,
  convert: (parsed: z.output<S>) => T,
  options: ReadOptions = {},
): Promise<T> {
  const answer = await transport.request({ method: "GET", path, signal: options.signal });
  return readAnswer(schema, answer, `GET ${path.split("?")[0]}`, convert);
}
