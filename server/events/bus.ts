/**
 * Fans journal events out to live SSE streams and webhook loops, per agency. The journal is the
 * source; this only signals: events this process committed, and events that other relay instances
 * sharing the journal committed (or may have, after the journal's notifications were interrupted).
 */
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
    events.onExternalEvents((agency) => {
      if (agency !== undefined) this.emitter.emit(agency);
      else for (const name of this.emitter.eventNames()) this.emitter.emit(name);
    });
  }

  /** Calls `listener` whenever new events exist for the agency; returns the unsubscribe. */
  subscribe(agency: string, listener: () => void): () => void {
    this.emitter.on(agency, listener);
    return () => this.emitter.off(agency, listener);
  }
}

