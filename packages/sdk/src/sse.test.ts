import { describe, expect, it, vi } from "vitest";
import { EventStreamParser, readEventStream } from "./sse";

describe("EventStreamParser", () => {
  it("parses typed events with ids and multi-line data", () => {
    const parser = new EventStreamParser();
    const events = parser.feed('id: 7\nevent: task.updated\ndata: {"a":\ndata: 1}\n\n');
    expect(events).toEqual([{ id: "7", type: "task.updated", data: '{"a":\n1}' }]);
    expect(parser.lastEventId).toBe("7");
  });
  it("joins events split across chunks, including a CRLF split in two", () => {
    const parser = new EventStreamParser();
    expect(parser.feed("data: he")).toEqual([]);
    expect(parser.feed("llo\r")).toEqual([]);
    expect(parser.feed("\n\r\n")).toEqual([{ id: undefined, type: "message", data: "hello" }]);
  });
  it("ignores comments (heartbeats) and events without data", () => {
    const parser = new EventStreamParser();
    expect(parser.feed(": ping\n\nevent: nothing\n\n")).toEqual([]);
  });
  it("keeps the last id for events that do not set one", () => {
    const parser = new EventStreamParser();
    parser.feed("id: 3\ndata: a\n\n");
    expect(parser.feed("data: b\n\n")[0].id).toBe("3");
  });
  it("reads the server's retry delay", () => {
    const parser = new EventStreamParser();
    parser.feed("retry: 2500\n\n");
    expect(parser.retryMs).toBe(2500);
  });
});

function streamOf(text: string): Response {
  return new Response(new Blob([text]).stream(), { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

describe("readEventStream", () => {
  it("sends the bearer token, and resumes with Last-Event-ID after the stream ends", async () => {
    const controller = new AbortController();
    const calls: Record<string, string>[] = [];
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      calls.push(init!.headers as Record<string, string>);
      if (calls.length === 2) controller.abort();
      return streamOf("id: 41\nevent: task.created\ndata: {}\n\n");
    });
    const events: string[] = [];
    await readEventStream("/api/core/events", {
      getToken: async () => "tok",
      onEvent: (event) => events.push(`${event.type}#${event.id}`),
      signal: controller.signal,
      fetchImpl: fetchImpl as typeof fetch,
      retryMs: 1,
    });
    expect(calls[0].Authorization).toBe("Bearer tok");
    expect(calls[0]["Last-Event-ID"]).toBeUndefined();
    expect(calls[1]["Last-Event-ID"]).toBe("41");
    expect(events[0]).toBe("task.created#41");
  });
  it("reports reconnecting when the server refuses, and retries", async () => {
    const controller = new AbortController();
    const statuses: string[] = [];
    let attempts = 0;
    const fetchImpl = vi.fn(async () => {
      attempts += 1;
      if (attempts === 2) controller.abort();
      return new Response("nope", { status: 503 });
    });
    await readEventStream("/events", {
      getToken: async () => "tok",
      onEvent: () => undefined,
      onStatus: (status) => statuses.push(status),
      signal: controller.signal,
      fetchImpl: fetchImpl as typeof fetch,
      retryMs: 1,
    });
    expect(attempts).toBe(2);
    expect(statuses).toContain("reconnecting");
  });
});
