import { InvalidRelayResponseError, RelayError, RelayUnreachableError } from "../../errors/relay";
import { operationEventSchema } from "../../wire/operations";
import { SseParser } from "../sse";
import { errorFromResponse, sleep, type RelayTransport } from "../transport";
import { readAnswer, toOperationEvent, type OperationEvent } from "../types";

export interface StreamEventsParameters {
  /** Start after this event id (one you saw earlier); from the agency's first event when omitted. */
  lastEventId?: string;
  /** Stops the stream (the iteration ends quietly). */
  signal?: AbortSignal;
  /** Silence longer than this counts as a lost connection. The relay sends a keep-alive every 15 s. 45,000 ms by default. */
  idleTimeoutMs?: number;
  /** Pause before reconnecting; doubles on consecutive failures. 500 ms by default (or what the relay's `retry:` says). */
  reconnectDelayMs?: number;
  /** Longest pause between reconnections. 10,000 ms by default. */
  maxReconnectDelayMs?: number;
  /** Consecutive failed connections before giving up with RelayUnreachableError. Unlimited by default. */
  maxReconnectAttempts?: number;
  /** Called before each reconnection, with where the stream will resume. */
  onReconnect?: (info: { attempt: number; lastEventId: string | undefined; delayMs: number; error?: unknown }) => void;
}

export type StreamEventsReturnType = AsyncGenerator<OperationEvent, void, undefined>;

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const PATH = "/v1/events";

class IdleTimeout extends Error {
  override name = "IdleTimeout";
}

/** Whether event id `id` comes after `last` (ids are increasing integers; other ids are compared for difference only). */
function isAfter(id: string, last: string | undefined): boolean {
  if (last === undefined) return true;
  if (/^\d+$/.test(id) && /^\d+$/.test(last)) return BigInt(id) > BigInt(last);
  return id !== last;
}

/** The body's text as it arrives; throws IdleTimeout when nothing arrives for `idleMs`. */
async function* textOf(body: ReadableStream<Uint8Array>, idleMs: number): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const next = reader.read();
      next.catch(() => undefined); // settled by cancel() below when the race is lost
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IdleTimeout(`no data for ${idleMs} ms`)), idleMs);
      });
      let result: Awaited<typeof next>;
      try {
        result = await Promise.race([next, idle]);
      } finally {
        clearTimeout(timer);
      }
      if (result.done) {
        const tail = decoder.decode();
        if (tail) yield tail;
        return;
      }
      yield decoder.decode(result.value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/**
 * The agency's operation events (submitted, confirmed, failed) as an async iterable over the
 * relay's server-sent event stream. After a disconnect (the relay restarted, the network dropped,
 * silence past `idleTimeoutMs`) it reconnects with backoff and resumes after the last event it
 * yielded (Last-Event-ID), so no event is missed and none is yielded twice. An error that a
 * reconnection cannot fix (UnauthenticatedError, ForbiddenError) ends the iteration by throwing.
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const stop = new AbortController();
 * for await (const event of client.streamEvents({ lastEventId: process.env.LAST_EVENT_ID, signal: stop.signal })) {
 *   console.log(event.id, event.type, event.operation.id, event.operation.error?.name);
 *   // store event.id: pass it as lastEventId after a restart of your process
 * }
 */
export async function* streamEvents(transport: RelayTransport, params: StreamEventsParameters = {}): StreamEventsReturnType {
  const { signal } = params;
  const idleTimeoutMs = params.idleTimeoutMs ?? 45_000;
  const maxDelay = params.maxReconnectDelayMs ?? 10_000;
  let baseDelay = params.reconnectDelayMs ?? 500;
  let last = params.lastEventId;
  let failures = 0;
  while (!signal?.aborted) {
    const connection = new AbortController();
    const linked = signal ? AbortSignal.any([signal, connection.signal]) : connection.signal;
    let failure: unknown;
    let retryAfterMs: number | undefined;
    try {
      // A relay that takes the connection but never answers counts as lost too.
      const noAnswer = setTimeout(() => connection.abort(new IdleTimeout(`no answer within ${idleTimeoutMs} ms`)), idleTimeoutMs);
      let response: Response;
      try {
        response = await transport.send({
          method: "GET",
          path: PATH,
          headers: { accept: "text/event-stream", ...(last !== undefined ? { "last-event-id": last } : {}) },
          signal: linked,
        });
      } finally {
        clearTimeout(noAnswer);
      }
      if (!response.ok) {
        const error = await errorFromResponse(response, `GET ${PATH}`);
        if (!RETRYABLE.has(response.status)) throw error;
        failure = error;
        if (error.retryAfterSeconds !== undefined) retryAfterMs = error.retryAfterSeconds * 1000;
      } else if (!response.body || !/^text\/event-stream\b/i.test(response.headers.get("content-type") ?? "")) {
        throw new InvalidRelayResponseError(`GET ${PATH} did not answer with an event stream.`, { details: { contentType: response.headers.get("content-type") } });
      } else {
        failures = 0;
        const parser = new SseParser();
        for await (const text of textOf(response.body, idleTimeoutMs)) {
          for (const message of parser.push(text)) {
            if (message.id === undefined || !isAfter(message.id, last)) continue;
            let data: unknown;
            try {
              data = JSON.parse(message.data);
            } catch (error) {
              throw new InvalidRelayResponseError(`Event ${message.id} of ${PATH} is not JSON.`, { cause: error });
            }
            const event = readAnswer(operationEventSchema, data, `GET ${PATH}`, toOperationEvent);
            last = message.id;
            yield event;
          }
          if (parser.retryMs !== undefined) baseDelay = parser.retryMs;
        }
        failure = undefined; // the relay closed the stream: reconnect at once after the base delay
      }
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof InvalidRelayResponseError || (error instanceof RelayError && !RETRYABLE.has(error.status))) throw error;
      failure = error;
    } finally {
      connection.abort();
    }
    failures += 1;
    if (params.maxReconnectAttempts !== undefined && failures > params.maxReconnectAttempts) {
      throw new RelayUnreachableError(`The event stream failed ${failures} times in a row.`, { cause: failure, details: { url: transport.url, lastEventId: last } });
    }
    const delayMs = retryAfterMs ?? Math.min(maxDelay, baseDelay * 2 ** (failures - 1));
    params.onReconnect?.({ attempt: failures, lastEventId: last, delayMs, ...(failure !== undefined ? { error: failure } : {}) });
    try {
      await sleep(delayMs, signal);
    } catch {
      return;
    }
  }
}
