/**
 * For fragments' unit tests that stand a fake gateway in for fetch: what it received, and
 * refusals in the platform's ErrorBody. Test code only (`@platform/api-client/testing`).
 */

export interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  /** The JSON body, parsed (undefined when there is none). */
  body: unknown;
}

/** A request as the fake gateway sees it: the client calls fetch(request), the SDK's event stream fetch(url, init). */
export async function received(input: RequestInfo | URL, init?: RequestInit): Promise<Sent> {
  const request = input instanceof Request ? input : new Request(new URL(String(input), "http://platform.test"), init);
  const text = request.body ? await request.clone().text() : "";
  return { method: request.method, url: new URL(request.url), headers: request.headers, body: text ? JSON.parse(text) : undefined };
}

/** A refusal in the platform's ErrorBody (with the deprecated `detail` the API still repeats). */
export function errorAnswer(status: number, code: string, message: string): Response {
  return Response.json({ code, message, detail: { code, reason: message }, request_id: "req-1" }, { status });
}
