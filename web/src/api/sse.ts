/**
 * Server-sent events read from a fetch body (EventSource cannot POST). Follows the HTML standard's
 * parsing: lines end in CRLF, LF or CR; `event:` names the event, `data:` lines are joined by LF,
 * a line beginning with a colon is a comment, and a blank line dispatches. Chunks may split an
 * event, a line, a CRLF or a UTF-8 character anywhere.
 */

export interface SseEvent {
  /** The `event:` field; `message` when the event named none. */
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  /** A CR ended the last chunk: an LF that starts the next belongs to it. */
  private pendingCr = false;

  /** The events completed by this piece of text, in order. */
  push(text: string): SseEvent[] {
    let chunk = text;
    if (this.pendingCr && chunk.startsWith("\n")) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      let next = end + 1;
      if (this.buffer[end] === "\r") {
        if (next === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[next] === "\n") next += 1;
      }
      this.buffer = this.buffer.slice(next);
      const dispatched = this.line(line);
      if (dispatched) out.push(dispatched);
    }
    return out;
  }

  /** At the end of the stream: an event not closed by a blank line is dropped, as the standard says. */
  end(): SseEvent[] {
    this.buffer = "";
    this.event = "";
    this.data = [];
    return [];
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") {
      const event = { event: this.event || "message", data: this.data.join("\n") };
      const any = this.data.length > 0;
      this.event = "";
      this.data = [];
      return any ? event : undefined;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    // `id` and `retry` serve reconnection, which a POST answered once does not do.
    return undefined;
  }
}

/** Each event of a stream of server-sent events as it completes; ends with the stream. */
export async function* readSse(stream: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    // A consumer that stops early lets go of the body, so the connection closes (a no-op once it ended).
    await reader.cancel().catch(() => undefined);
  }
}
