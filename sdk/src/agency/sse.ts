/**
 * A parser for server-sent events (the WHATWG "event stream" format), fed text as it arrives:
 * lines end in LF, CR or CRLF (a CRLF may be split between chunks), `data:` lines join with LF, a
 * blank line dispatches, `:` lines are comments (the relay's keep-alives), `id:` sets the last
 * event id, `retry:` the reconnection delay. No dependency: the relay's stream is read over fetch.
 */

export interface SseMessage {
  /** The `id:` of this message, if it had one. */
  id: string | undefined;
  /** The `event:` type; "message" when none was given. */
  event: string;
  data: string;
}

export class SseParser {
  /** The last `id:` seen (persists across messages, as the format defines). */
  lastEventId: string | undefined;
  /** The last valid `retry:` (milliseconds). */
  retryMs: number | undefined;
  private buffer = "";
  private skipLeadingLf = false;
  private data: string[] = [];
  private event = "";
  private messageId: string | undefined;

  /** Parses a chunk of text; returns the messages it completes. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.skipLeadingLf && text.startsWith("\n")) text = text.slice(1);
    this.skipLeadingLf = false;
    this.buffer += text;
    const messages: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i += 1) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i += 1;
        } else {
          this.skipLeadingLf = true; // a CR at the chunk's end: an LF opening the next chunk belongs to it
        }
      }
      start = i + 1;
      const message = this.line(line);
      if (message) messages.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) {
          this.lastEventId = value;
          this.messageId = value;
        }
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const message: SseMessage | undefined =
      this.data.length === 0 ? undefined : { id: this.messageId, event: this.event || "message", data: this.data.join("\n") };
    this.data = [];
    this.event = "";
    this.messageId = undefined;
    return message;
  }
}
