import { describe, expect, it } from "vitest";
import { errorFromResponse } from "@platform/sdk";
import { errorAnswer, received } from "./testing";

describe("the fake gateway's view of a request", () => {
  it("reads a Request as the generated client sends it", async () => {
    const request = new Request("http://platform.test/api/core/projects?limit=5", {
      method: "POST",
      headers: { "If-Match": '"3"' },
      body: JSON.stringify({ name: "Apollo" }),
    });
    const sent = await received(request);
    expect([sent.method, sent.url.pathname, sent.url.searchParams.get("limit")]).toEqual(["POST", "/api/core/projects", "5"]);
    expect(sent.headers.get("if-match")).toBe('"3"');
    expect(sent.body).toEqual({ name: "Apollo" });
    expect(await request.text()).toBe('{"name":"Apollo"}'); // still readable by the code under test
  });

  it("reads a URL and init as the SDK's event stream sends them, relative to the platform", async () => {
    const sent = await received("/api/core/events", { headers: { Authorization: "Bearer t" } });
    expect([sent.method, sent.url.href, sent.body]).toEqual(["GET", "http://platform.test/api/core/events", undefined]);
    expect(sent.headers.get("authorization")).toBe("Bearer t");
  });
});

describe("a refusal in the platform's ErrorBody", () => {
  it("is read by the SDK as the API's own refusals are", async () => {
    const error = await errorFromResponse(errorAnswer(412, "VERSION_MISMATCH", "The task changed"));
    expect([error.status, error.code, error.reason, error.requestId]).toEqual([412, "VERSION_MISMATCH", "The task changed", "req-1"]);
  });
});
