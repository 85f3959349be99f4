// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { createNameDirectory, createProjectsApi, DIRECTORY_BATCH } from "./api";
import { problemOf } from "./errors";
import { received, type Sent } from "@platform/api-client/testing";
import type { ProjectOut } from "./types";

/** The gateway: records every request and answers with `answer`. */
function fakeGateway(answer: (sent: Sent) => Response) {
  const requests: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const sent = await received(input, init);
      requests.push(sent);
      return answer(sent);
    }),
  );
  return requests;
}

const api = () => createProjectsApi({ getToken: async () => "token-1" });
const project = { id: "p/1", version: 7 } as ProjectOut;

afterEach(() => vi.unstubAllGlobals());

describe("the projects API", () => {
  it("deletes a task and a project only at the version shown (If-Match), with the bearer token", async () => {
    const requests = fakeGateway(() => new Response(null, { status: 204 }));
    await api().deleteTask("t1", 3);
    await api().deleteProject(project);
    expect(requests.map((r) => [r.method, r.url.pathname, r.headers.get("If-Match"), r.headers.get("Authorization")])).toEqual([
      ["DELETE", "/api/core/tasks/t1", '"3"', "Bearer token-1"],
      ["DELETE", "/api/core/projects/p%2F1", '"7"', "Bearer token-1"],
    ]);
  });

  it("moves several tasks in one request that names the version of each", async () => {
    const requests = fakeGateway(() => Response.json({ updated: 2, unchanged: 0, status: "done" }));
    const result = await api().bulkStatus("p1", [{ id: "t1", version: 2 }, { id: "t2", version: 5 }], "done");
    expect(result).toMatchObject({ updated: 2, unchanged: 0 });
    expect([requests[0].method, requests[0].url.pathname]).toEqual(["POST", "/api/core/projects/p1/tasks:bulk"]);
    expect(requests[0].body).toEqual({ ids: ["t1", "t2"], status: "done", expected_versions: { t1: 2, t2: 5 } });
  });

  it("leaves an empty search out of the projects query", async () => {
    const requests = fakeGateway(() => Response.json({ items: [], next: null }));
    await api().projects("  ", null);
    await api().projects(" ops ", "c2");
    expect(requests.map((r) => r.url.search)).toEqual(["?limit=20", "?limit=20&q=ops&cursor=c2"]);
  });

  it("turns a refusal into the API's message, code and request id", async () => {
    fakeGateway(() => Response.json({ code: "VERSION_MISMATCH", message: "The task changed", detail: null, request_id: "req-9" }, { status: 412, headers: { "X-Request-ID": "req-9" } }));
    const failure = await api().updateTask("t1", 1, { title: "New" }).catch((error: unknown) => error);
    expect(problemOf(failure)).toEqual({ message: "The task changed", code: "VERSION_MISMATCH", requestId: "req-9" });
  });

  it("says the server could not be reached when the request never got an answer", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const failure = await api().task("t1").catch((error: unknown) => error);
    expect(problemOf(failure).message).toBe("The server could not be reached. Check your connection and try again.");
  });
});

describe("createNameDirectory", () => {
  const id = (n: number) => n.toString(16).padStart(24, "0");

  it("asks once per id, in batches the directory accepts, and forgets a failed batch", async () => {
    const asked: string[][] = [];
    let fail = true;
    const names = createNameDirectory(async (ids) => {
      asked.push(ids);
      if (fail) throw new Error("auth is down");
      return ids.map((i) => ({ id: i, display_name: `Name ${i.slice(-3)}` }));
    });
    expect((await names([id(1)])).size).toBe(0);
    fail = false;
    const many = Array.from({ length: DIRECTORY_BATCH + 1 }, (_, n) => id(n + 1));
    const found = await names([...many, "client:ci", id(1)]);
    expect(found.get(id(1))).toBe("Name 001");
    expect(asked.map((batch) => batch.length)).toEqual([1, DIRECTORY_BATCH, 1]);
    await names(many);
    expect(asked).toHaveLength(3);
  });
});
