/**
 * @platform/api-client: the platform's API, typed from its merged OpenAPI document.
 *
 * `schema.d.ts` is generated (clients/generate.py, openapi-typescript); the tests regenerate
 * it from the real services and fail when it drifts. Calls go through openapi-fetch, so a
 * path, a parameter or a body the document does not have is a type error.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { errorFromResponse, type TokenSource } from "@platform/sdk";
import type { components, paths } from "./schema";

export type { components, paths } from "./schema";
/** Every named schema of the document, e.g. `Schemas["TaskOut"]`. */
export type Schemas = components["schemas"];
export type PlatformClient = Client<paths>;

export interface PlatformClientOptions {
  /** Where the gateway answers; the page's own origin by default (fragments run on it). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * A client that sends the bearer token of `tokens` with every request and throws the SDK's
 * ApiError (status, code, reason, request id) for every answer that is not 2xx, so `data`
 * is what a caller reads; use `required` to get it without `undefined`. With `tokens` null
 * it sends no token: for the public operations (signing in, signing up, renewing with the
 * refresh cookie, the anonymous manifest).
 */
export function createPlatformClient(tokens: TokenSource | null, options: PlatformClientOptions = {}): PlatformClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? globalThis.location?.origin ?? "",
    fetch: options.fetch ?? ((request) => fetch(request)),
  });
  if (tokens) client.use(bearerToken(tokens));
  client.use(failuresAsApiErrors);
  return client;
}

function bearerToken(tokens: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${await tokens.getToken()}`);
      return request;
    },
  };
}

const failuresAsApiErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  },
};

/** The body of a successful answer (non-2xx answers have already thrown). */
export async function required<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  if (data === undefined) throw new Error("the answer has no body");
  return data;
}
