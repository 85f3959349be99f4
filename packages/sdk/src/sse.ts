/**
 * Server-Sent Events over fetch, so the request can carry `Authorization: Bearer`
 * (EventSource cannot send headers, and tokens in URLs end up in logs).
 */
export interface ServerEvent {
  id?: string;
  type: string;
  data: string;
}

/** Incremental parser for the text/event-stream format; feed it chunks as they arrive. */
export class EventStreamParser {
  private buffer = "";
  private data: string[] = [];
  private type = "";
  private id: string | undefined;
  /** The last id the stream set, kept across events (the value for Last-Event-ID). */
  lastEventId: string | undefined;
  /** A `retry:` field from the server, in milliseconds. */
  retryMs: number | undefined;

  feed(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    const events: ServerEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      // A lone "\r" at the end of a chunk may be the first half of "\r\n": wait for more.
      if (width === 1 && this.buffer[newline] === "\r" && newline === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(newline + width);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.type = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): ServerEvent | undefined {
    if (this.id !== undefined) this.lastEventId = this.id;
    const event =
      this.data.length > 0 ? { id: this.lastEventId, type: this.type || "message", data: this.data.join("\n") } : undefined;
    this.data = [];
    this.type = "";
    this.id = undefined;
    return event;
  }
}

export interface EventStreamOptions {
  getToken(): Promise<string>;
  onEvent(event: ServerEvent): void;
  /** Connection state for a "live" indicator. */
  onStatus?(status: "connecting" | "open" | "reconnecting"): void;
  signal: AbortSignal;
  fetchImpl?: typeof fetch;
  /** First reconnect delay; doubles up to 30 s while the stream keeps failing. */
  retryMs?: number;
}

/** Reads `url` until `signal` aborts, reconnecting with Last-Event-ID so no event is missed. */
export async function readEventStream(url: string, options: EventStreamOptions): Promise<void> {
  const fetchImpl = options.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const parser = new EventStreamParser();
  let delay = options.retryMs ?? 1000;
  options.onStatus?.("connecting");
  while (!options.signal.aborted) {
    try {
      const headers: Record<string, string> = {
        Accept: "text/event-stream",
        Authorization: `Bearer ${await options.getToken()}`,
      };
      if (parser.lastEventId) headers["Last-Event-ID"] = parser.lastEventId;
      const response = await fetchImpl(url, { headers, signal: options.signal, cache: "no-store" });
      if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
      options.onStatus?.("open");
      delay = parser.retryMs ?? options.retryMs ?? 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.feed(value)) options.onEvent(event);
      }
    } catch (error) {
      if (options.signal.aborted) return;
      console.warn("event stream interrupted", error);
    }
    if (options.signal.aborted) return;
    options.onStatus?.("reconnecting");
    await sleep(delay, options.signal);
    delay = Math.min(delay * 2, 30_000);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
