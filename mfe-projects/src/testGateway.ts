/** For the tests' fake gateways: a request as they see it, however fetch was called. */

export interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  /** The JSON body, parsed (undefined when there is none). */
  body: unknown;
}

/** The generated client calls fetch(request); the event stream calls fetch(url, init). */
export async function received(input: RequestInfo | URL, init?: RequestInit): Promise<Sent> {
  const request = input instanceof Request ? input : new Request(new URL(String(input), "http://platform.test"), init);
  const text = request.body ? await request.clone().text() : "";
  return { method: request.method, url: new URL(request.url), headers: request.headers, body: text ? JSON.parse(text) : undefined };
}
