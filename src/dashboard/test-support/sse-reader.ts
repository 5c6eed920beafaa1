/** One server-sent event as read by a test. */
export interface ReadEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * Reads server-sent events from a response body, for tests: `next()` resolves with the next
 * event (comment lines skipped), or rejects after `timeoutMs`.
 */
export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = "";

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  async next(timeoutMs = 2_000): Promise<ReadEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.parseOne();
      if (event) return event;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("No server-sent event in time");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("No server-sent event in time")), left);
      });
      try {
        const { done, value } = await Promise.race([this.reader.read(), timeout]);
        if (done) throw new Error("The event stream ended");
        this.buffer += this.decoder.decode(value, { stream: true });
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Events until one satisfies `until` (included). */
  async until(until: (e: ReadEvent) => boolean, timeoutMs = 2_000): Promise<ReadEvent[]> {
    const out: ReadEvent[] = [];
    for (;;) {
      const e = await this.next(timeoutMs);
      out.push(e);
      if (until(e)) return out;
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }

  private parseOne(): ReadEvent | null {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end < 0) return null;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      let id: string | undefined;
      for (const line of block.split("\n")) {
        if (line.startsWith(":") || line === "") continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else if (field === "id") id = value;
      }
      if (data.length === 0) continue; // a comment or a bare retry
      return id === undefined
        ? { event, data: data.join("\n") }
        : { event, data: data.join("\n"), id };
    }
  }
}
