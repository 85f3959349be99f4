import { ApiError } from "@platform/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAccountApi, fetchManifest, refresh, register, reportHealth, signIn } from "./api";

const SHELL = "http://shell.test";

/** The gateway: records each request and answers with `answer`. */
function fakeGateway(answer: (request: Request) => Response) {
  const requests: Request[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      requests.push(request);
      return answer(request);
    }),
  );
  return requests;
}

const tokens = () => Response.json({ access_token: "access-1", token_type: "bearer", expires_in: 900 });
const doc = { cookie: "farm_session=1" };

beforeEach(() => {
  vi.stubGlobal("location", { origin: SHELL });
  vi.stubGlobal("document", doc);
});
afterEach(() => vi.unstubAllGlobals());

describe("the shell's calls", () => {
  it("signs in with the form the auth service reads, and no token", async () => {
    const requests = fakeGateway(tokens);
    expect(await signIn("ava@example.com", "secret pass")).toMatchObject({ access_token: "access-1", expires_in: 900 });
    const [request] = requests;
    expect([request.method, request.url]).toEqual(["POST", `${SHELL}/api/auth/jwt/login`]);
    expect(request.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({ username: "ava@example.com", password: "secret pass", scope: "" });
    expect(request.headers.has("Authorization")).toBe(false);
  });

  it("forgets the session marker when the refresh cookie is refused, and says why", async () => {
    doc.cookie = "farm_session=1";
    fakeGateway(() => Response.json({ code: "REFRESH_TOKEN_INVALID", message: "Sign in again", detail: null, request_id: "r1" }, { status: 401 }));
    const failure = refresh();
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 401, code: "REFRESH_TOKEN_INVALID", reason: "Sign in again" });
    expect(doc.cookie).toContain("farm_session=; Max-Age=0");
  });

  it("keeps the marker when renewal fails for another reason", async () => {
    doc.cookie = "farm_session=1";
    fakeGateway(() => Response.json({ code: "UPSTREAM_UNREACHABLE", message: "Try again", detail: null, request_id: "r2" }, { status: 502 }));
    await expect(refresh()).rejects.toMatchObject({ status: 502 });
    expect(doc.cookie).toBe("farm_session=1");
  });

  it("signs up with only what the person typed", async () => {
    const requests = fakeGateway(() => Response.json({}, { status: 201 }));
    await register("ava@example.com", "secret pass", "");
    expect(await requests[0].json()).toEqual({ email: "ava@example.com", password: "secret pass" });
  });

  it("calls the account with a fresh token from the session for each request", async () => {
    let issued = 0;
    const requests = fakeGateway((request) => (request.method === "DELETE" ? new Response(null, { status: 204 }) : Response.json({ id: "u1", full_name: "Ava" })));
    const accounts = createAccountApi({ getToken: async () => `token-${++issued}` });
    expect(await accounts.change({ full_name: "Ava" })).toMatchObject({ full_name: "Ava" });
    await accounts.endSession("s/1");
    expect(requests.map((r) => [r.method, r.url, r.headers.get("Authorization")])).toEqual([
      ["PATCH", `${SHELL}/api/auth/users/me`, "Bearer token-1"],
      ["DELETE", `${SHELL}/api/auth/jwt/sessions/s%2F1`, "Bearer token-2"],
    ]);
  });

  it("asks for the manifest with the token it has, or none", async () => {
    const requests = fakeGateway(() => Response.json({ contract: "1", shared: {}, fragments: [] }));
    expect(await fetchManifest(null)).toEqual({ contract: "1", shared: {}, fragments: [] });
    await fetchManifest("access-1");
    expect(requests.map((r) => r.headers.get("Authorization"))).toEqual([null, "Bearer access-1"]);
  });

  it("reports a fragment's health in the background and never throws", async () => {
    const requests = fakeGateway(() => Response.json({ code: "REPORTS_RATE_LIMITED", message: "Slow down", detail: null, request_id: "r3" }, { status: 429 }));
    const report = { fragment: "projects", version: "1.0.0", outcome: "failure" as const, failure: "mount" as const };
    await expect(reportHealth(report, "access-1")).resolves.toBeUndefined();
    await expect(reportHealth(report, null)).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(requests[0].keepalive).toBe(true);
    expect(await requests[0].json()).toEqual(report);
  });
});
