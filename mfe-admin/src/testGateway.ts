/** For the tests' fake gateways: a request as they see it, however fetch was called. */

export interface Sent {
  method: string;
  url: URL;
  /** The JSON body, parsed (undefined when there is none). */
  body: unknown;
}

/** The generated client calls fetch(request); the event stream calls fetch(url, init). */
export async function received(input: RequestInfo | URL, init?: RequestInit): Promise<Sent> {
  const request = input instanceof Request ? input : new Request(new URL(String(input), "http://platform.test"), init);
  const text = request.body ? await request.clone().text() : "";
  return { method: request.method, url: new URL(request.url), body: text ? JSON.parse(text) : undefined };
}

/** An answer in the platform's ErrorBody. */
export function errorAnswer(status: number, code: string, message: string): Response {
  return Response.json({ code, message, detail: { code, reason: message }, request_id: "req-1" }, { status });
}
