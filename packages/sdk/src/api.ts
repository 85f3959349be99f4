/** Calls to the platform's APIs with the signed-in user's bearer token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    /** The gateway's X-Request-ID of the failed answer, to quote when reporting it ("" when absent). */
    readonly requestId: string = "",
  ) {
    super(`${status} ${code}: ${reason}`);
    this.name = "ApiError";
  }
}

export interface TokenSource {
  getToken(): Promise<string>;
}

/**
 * Turns an error body into an ApiError: the platform's ErrorBody (`{"code", "message", "detail", "request_id"}`)
 * and, until the API's 1.0, the former shapes (`{"detail": {"code", "reason"}}`, `{"detail": "CODE"}`, a validation list).
 */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: { code?: unknown; message?: unknown; detail?: unknown; request_id?: unknown } = {};
  try {
    body = ((await response.json()) as typeof body | null) ?? {};
  } catch {
    body = {};
  }
  const { code, message, detail } = body;
  const requestId = response.headers.get("X-Request-ID") ?? (typeof body.request_id === "string" ? body.request_id : "");
  // A validation list names the refused field; that says more than REQUEST_INVALID's message.
  if (Array.isArray(detail)) {
    const first = detail[0] as { msg?: string; loc?: unknown[] } | undefined;
    const where = first?.loc?.slice(1).join(".") ?? "";
    return new ApiError(response.status, "VALIDATION_ERROR", `${where ? `${where}: ` : ""}${first?.msg ?? "Invalid input"}`, requestId);
  }
  if (typeof code === "string" && typeof message === "string") return new ApiError(response.status, code, message, requestId);
  if (typeof detail === "string") return new ApiError(response.status, detail, humanize(detail), requestId);
  if (detail && typeof detail === "object") {
    const { code: detailCode, reason } = detail as { code?: unknown; reason?: unknown };
    const codeText = typeof detailCode === "string" ? detailCode : `HTTP_${response.status}`;
    return new ApiError(response.status, codeText, typeof reason === "string" ? reason : humanize(codeText), requestId);
  }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText || "Request failed", requestId);
}

function humanize(code: string): string {
  const text = code.toLowerCase().replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Query parameters; empty, null and undefined values are left out (an unset filter). */
  query?: Record<string, string | number | null | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiClient {
  /** JSON in, JSON out; resolves to undefined for 204. Throws ApiError for any non-2xx answer. */
  request<T>(path: string, init?: RequestOptions): Promise<T>;
}

function withQuery(path: string, query: RequestOptions["query"] = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function createApiClient(tokens: TokenSource, fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  return {
    async request<T>(path: string, init: RequestOptions = {}) {
      const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
      headers.Authorization = `Bearer ${await tokens.getToken()}`;
      if (init.body !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetchImpl(withQuery(path, init.query), {
        method: init.method ?? "GET",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
      if (!response.ok) throw await errorFromResponse(response);
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    },
  };
}
