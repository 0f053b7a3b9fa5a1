/** Fans journal events out to live SSE streams, per agency. The journal is the source; this only signals. */
import { EventEmitter } from "node:events";
import type { EventOutbox } from "../store/journal";

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor(events: EventOutbox) {
    this.emitter.setMaxListeners(0);
    events.onEvents((committed) => {
      const agencies = new Set(committed.map((e) => e.agency));
      for (const agency of agencies) this.emitter.emit(agency);
    });
  }

  /** Calls `listener` whenever new events exist for the agency; returns the unsubscribe. */
  subscribe(agency: string, listener: () => void): () => void {
    this.emitter.on(agency, listener);
    return () => this.emitter.off(agency, listener);
  }
}

