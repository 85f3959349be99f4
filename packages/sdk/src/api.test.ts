import { describe, expect, it, vi } from "vitest";
import { ApiError, createApiClient, errorFromResponse } from "./api";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

describe("errorFromResponse", () => {
  it("reads the platform's ErrorBody", async () => {
    const body = { code: "VERSION_MISMATCH", message: "Reload it", detail: { code: "VERSION_MISMATCH", reason: "Reload it" }, request_id: "req-7" };
    const error = await errorFromResponse(json(412, body));
    expect([error.status, error.code, error.reason, error.requestId]).toEqual([412, "VERSION_MISMATCH", "Reload it", "req-7"]);
  });
  it("reads an ErrorBody for fastapi-users' codes and validation lists as before", async () => {
    const login = await errorFromResponse(json(400, { code: "LOGIN_BAD_CREDENTIALS", message: "Login bad credentials", detail: "LOGIN_BAD_CREDENTIALS" }));
    expect([login.code, login.reason]).toEqual(["LOGIN_BAD_CREDENTIALS", "Login bad credentials"]);
    const problems = [{ loc: ["body", "email"], msg: "value is not a valid email" }];
    const invalid = await errorFromResponse(json(422, { code: "REQUEST_INVALID", message: "The request does not match", detail: problems }));
    expect([invalid.code, invalid.reason]).toEqual(["VALIDATION_ERROR", "email: value is not a valid email"]);
  });
  it("reads the platform's {code, reason} detail", async () => {
    const error = await errorFromResponse(json(412, { detail: { code: "VERSION_MISMATCH", reason: "Changed meanwhile" } }));
    expect([error.status, error.code, error.reason]).toEqual([412, "VERSION_MISMATCH", "Changed meanwhile"]);
  });
  it("reads fastapi-users' string codes", async () => {
    const error = await errorFromResponse(json(400, { detail: "LOGIN_BAD_CREDENTIALS" }));
    expect(error.code).toBe("LOGIN_BAD_CREDENTIALS");
    expect(error.reason).toBe("Login bad credentials");
  });
  it("names the field of a validation error", async () => {
    const error = await errorFromResponse(json(422, { detail: [{ loc: ["body", "email"], msg: "value is not a valid email" }] }));
    expect(error.reason).toBe("email: value is not a valid email");
  });
  it("keeps the answer's request id, for people to quote", async () => {
    const response = new Response(JSON.stringify({ detail: { code: "INVALID_TRANSITION", reason: "No" } }), {
      status: 409,
      headers: { "Content-Type": "application/json", "X-Request-ID": "req-42" },
    });
    expect((await errorFromResponse(response)).requestId).toBe("req-42");
    expect((await errorFromResponse(new Response("<html>", { status: 502 }))).requestId).toBe("");
  });
  it("still builds from three arguments (request id optional)", () => {
    expect(new ApiError(404, "TASK_NOT_FOUND", "No such task").requestId).toBe("");
  });
  it("copes with a body that is not JSON", async () => {
    const error = await errorFromResponse(new Response("<html>", { status: 502, statusText: "Bad Gateway" }));
    expect(error.code).toBe("HTTP_502");
  });
});

describe("createApiClient", () => {
  it("sends the bearer token and JSON body, and returns the JSON answer", async () => {
    const fetchImpl = vi.fn(async () => json(200, { ok: true }));
    const client = createApiClient({ getToken: async () => "tok" }, fetchImpl as typeof fetch);
    expect(await client.request("/api/core/projects", { method: "POST", body: { name: "A" } })).toEqual({ ok: true });
    const [, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).toMatchObject({ Authorization: "Bearer tok", "Content-Type": "application/json" });
    expect(init.body).toBe('{"name":"A"}');
  });
  it("adds the query parameters that are set, encoded", async () => {
    const fetchImpl = vi.fn(async () => json(200, {}));
    const client = createApiClient({ getToken: async () => "tok" }, fetchImpl as typeof fetch);
    await client.request("/api/core/audit", { query: { q: "a&b", page: 2, empty: "", none: null, unset: undefined } });
    const [url] = fetchImpl.mock.calls[0] as unknown as [string];
    expect(url).toBe("/api/core/audit?q=a%26b&page=2");
  });
  it("throws an ApiError for an error answer", async () => {
    const client = createApiClient({ getToken: async () => "tok" }, (async () => json(404, { detail: { code: "TASK_NOT_FOUND", reason: "No such task" } })) as typeof fetch);
    await expect(client.request("/x")).rejects.toBeInstanceOf(ApiError);
  });
  it("resolves to undefined for 204", async () => {
    const client = createApiClient({ getToken: async () => "tok" }, (async () => new Response(null, { status: 204 })) as typeof fetch);
    expect(await client.request("/x", { method: "DELETE" })).toBeUndefined();
  });
});
