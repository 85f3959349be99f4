import { ApiError } from "@platform/sdk";
import { describe, expect, it, vi } from "vitest";
import { createPlatformClient, required } from "./index";

const GATEWAY = "http://gateway.test";

function recordingFetch(answer: () => Response) {
  const requests: Request[] = [];
  const fetchMock = vi.fn(async (request: Request) => {
    requests.push(request);
    return answer();
  });
  return { fetch: fetchMock as unknown as typeof fetch, requests };
}

describe("createPlatformClient", () => {
  it("sends a fresh bearer token and the typed path, query and body", async () => {
    let issued = 0;
    const tokens = { getToken: async () => `token-${++issued}` };
    const { fetch, requests } = recordingFetch(() => Response.json({ items: [], next: null }));
    const client = createPlatformClient(tokens, { baseUrl: GATEWAY, fetch });

    const page = await required(client.GET("/api/core/projects", { params: { query: { limit: 5, q: "ops" } } }));
    await client.GET("/api/core/projects", {});

    expect(page).toEqual({ items: [], next: null });
    expect(requests[0].url).toBe(`${GATEWAY}/api/core/projects?limit=5&q=ops`);
    expect(requests.map((r) => r.headers.get("Authorization"))).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("encodes path parameters", async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({}));
    const client = createPlatformClient({ getToken: async () => "t" }, { baseUrl: GATEWAY, fetch });
    await client.GET("/api/core/tasks/{task_id}", { params: { path: { task_id: "a/b" } } });
    expect(requests[0].url).toBe(`${GATEWAY}/api/core/tasks/a%2Fb`);
  });

  it("throws the SDK's ApiError with the code, reason and request id of a refusal", async () => {
    const refusal = () =>
      Response.json(
        { code: "VERSION_MISMATCH", message: "The resource changed", detail: null, request_id: "req-1" },
        { status: 412, headers: { "X-Request-ID": "req-1" } },
      );
    const { fetch } = recordingFetch(refusal);
    const client = createPlatformClient({ getToken: async () => "t" }, { baseUrl: GATEWAY, fetch });

    const failure = client.PATCH("/api/core/tasks/{task_id}", { params: { path: { task_id: "1" } }, body: { status: "done" } });

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 412, code: "VERSION_MISMATCH", reason: "The resource changed", requestId: "req-1" });
  });

  it("sends no token when it has no token source (public operations)", async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({ access_token: "a", token_type: "bearer", expires_in: 60 }));
    const client = createPlatformClient(null, { baseUrl: GATEWAY, fetch });
    await client.POST("/api/auth/jwt/refresh", {});
    expect(requests[0].headers.has("Authorization")).toBe(false);
  });

  it("required() refuses an answer without a body", async () => {
    await expect(required(Promise.resolve({ data: undefined }))).rejects.toThrow("no body");
  });
});
