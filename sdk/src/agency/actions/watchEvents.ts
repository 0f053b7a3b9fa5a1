import type { RelayTransport } from "../transport";
import type { OperationEvent } from "../types";
import { streamEvents, type StreamEventsParameters } from "./streamEvents";

export interface WatchEventsParameters extends Omit<StreamEventsParameters, "signal"> {
  /** Called for each event, in order; the next waits until it settles. */
  onEvent: (event: OperationEvent) => void | Promise<void>;
  /** Called once if the watch ends on an error (a rejected credential, a throwing onEvent). */
  onError?: (error: unknown) => void;
}

export interface EventWatch {
  /** Stops watching and closes the connection. */
  close(): void;
  /** The id of the last event `onEvent` handled without throwing: resume from it later. */
  readonly lastEventId: string | undefined;
  /** Settles when the watch has ended (closed, or ended on an error). */
  readonly done: Promise<void>;
}

/**
 * Calls `onEvent` for each of the agency's operation events as they happen, reconnecting and
 * resuming after the last handled event whenever the connection drops (see `streamEvents`).
 * @example
 * const client = createAgencyClient({ url: "http://127.0.0.1:8080", keyId: process.env.KEY_ID!, secret: process.env.SECRET! });
 * const watch = client.watchEvents({
 *   onEvent: (event) => console.log(event.type, event.operation.id),
 *   onError: (error) => console.error("event stream stopped:", error),
 * });
 * // later: watch.close(); keep watch.lastEventId to resume with { lastEventId }
 */
export function watchEvents(transport: RelayTransport, params: WatchEventsParameters): EventWatch {
  const controller = new AbortController();
  let lastEventId = params.lastEventId;
  const done = (async () => {
    try {
      for await (const event of streamEvents(transport, { ...params, signal: controller.signal })) {
        await params.onEvent(event);
        lastEventId = event.id;
      }
    } catch (error) {
      if (!controller.signal.aborted) params.onError?.(error);
    }
  })();
  return {
    close: () => controller.abort(),
    get lastEventId() {
      return lastEventId;
    },
    done,
  };
}
