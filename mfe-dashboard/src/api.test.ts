import { ApiError } from "@platform/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDashboardApi, createNameDirectory, DIRECTORY_BATCH, type DirectoryLookup } from "./api";
import { assigneeLabel } from "./format";

const id = (n: number) => n.toString(16).padStart(24, "0");
const ANN = id(1);
const BO = id(2);
const GONE = id(3);
const PEOPLE: Record<string, string> = { [ANN]: "Ann Lee", [BO]: "bo.ortiz" };

/** A directory that knows PEOPLE and records the ids of every request. */
function fakeDirectory(fail = () => false) {
  const calls: string[][] = [];
  const client: DirectoryLookup = async (ids) => {
    calls.push(ids);
    await Promise.resolve();
    if (fail()) throw new ApiError(503, "UPSTREAM_UNAVAILABLE", "The auth service is unavailable");
    return ids.filter((i) => i in PEOPLE).map((i) => ({ id: i, display_name: PEOPLE[i] }));
  };
  return { client, calls };
}

describe("createNameDirectory", () => {
  it("asks once for a set of ids, without repeats", async () => {
    const { client, calls } = fakeDirectory();
    const names = await createNameDirectory(client)([ANN, BO, ANN, GONE]);
    expect(calls).toEqual([[ANN, BO, GONE]]);
    expect(Object.fromEntries(names)).toEqual({ [ANN]: "Ann Lee", [BO]: "bo.ortiz" });
  });

  it("keeps what it learnt, unknown ids included, and asks only for new ones", async () => {
    const { client, calls } = fakeDirectory();
    const names = createNameDirectory(client);
    await names([ANN, GONE]);
    expect((await names([GONE, ANN])).get(ANN)).toBe("Ann Lee");
    await names([ANN, BO]);
    expect(calls).toEqual([[ANN, GONE], [BO]]);
  });

  it("shares a request in flight between concurrent calls", async () => {
    const { client, calls } = fakeDirectory();
    const names = createNameDirectory(client);
    const [first, second] = await Promise.all([names([ANN, BO]), names([BO])]);
    expect(calls).toEqual([[ANN, BO]]);
    expect(first.get(BO)).toBe("bo.ortiz");
    expect(second.get(BO)).toBe("bo.ortiz");
  });

  it("answers without names when the lookup fails, and asks again next time", async () => {
    let down = true;
    const { client, calls } = fakeDirectory(() => down);
    const names = createNameDirectory(client);
    expect((await names([ANN])).size).toBe(0);
    down = false;
    expect((await names([ANN])).get(ANN)).toBe("Ann Lee");
    expect(calls).toEqual([[ANN], [ANN]]);
  });

  it("splits more ids than the directory takes into batches", async () => {
    const { client, calls } = fakeDirectory();
    const many = Array.from({ length: DIRECTORY_BATCH + 5 }, (_, n) => id(100 + n));
    await createNameDirectory(client)(many);
    expect(calls.map((ids) => ids.length)).toEqual([DIRECTORY_BATCH, 5]);
  });

  it("never asks for something that is not a user id", async () => {
    const { client, calls } = fakeDirectory();
    const names = await createNameDirectory(client)(["client:reporter", "", ANN]);
    expect(calls).toEqual([[ANN]]);
    expect([...names.keys()]).toEqual([ANN]);
  });
});

describe("createDashboardApi().names", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("calls the directory through the gateway with the bearer token", async () => {
    const fetchMock = vi.fn(async (_request: Request) => Response.json([{ id: ANN, display_name: "Ann Lee" }]));
    vi.stubGlobal("fetch", fetchMock);
    vi.stubGlobal("location", new URL("http://shell.test/dashboard"));
    const api = createDashboardApi({ getToken: async () => "token-1" });
    expect((await api.names([ANN, BO])).get(ANN)).toBe("Ann Lee");
    const request = fetchMock.mock.calls[0][0];
    expect(request.url).toBe(`http://shell.test/api/auth/users/directory?ids=${ANN}%2C${BO}`);
    expect(request.headers.get("Authorization")).toBe("Bearer token-1");
  });
});

describe("createDashboardApi().stats", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("names the project project_id, and leaves out the filters not set", async () => {
    const fetchMock = vi.fn(async (_request: Request) => Response.json({}));
    vi.stubGlobal("fetch", fetchMock);
    vi.stubGlobal("location", new URL("http://shell.test/dashboard"));
    const api = createDashboardApi({ getToken: async () => "token-1" });
    await api.stats({ project: ANN, from: "2026-01-01", to: "" });
    const request = fetchMock.mock.calls[0][0];
    expect(request.url).toBe(`http://shell.test/api/core/stats?project_id=${ANN}&from=2026-01-01`);
  });
});

describe("assigneeLabel", () => {
  const names = new Map([[ANN, "Ann Lee"]]);
  it("calls the signed-in user You", () => expect(assigneeLabel(ANN, ANN, names)).toBe("You"));
  it("shows a known name", () => expect(assigneeLabel(ANN, BO, names)).toBe("Ann Lee"));
  it("falls back to the end of the id", () => expect(assigneeLabel("64f0c2a1b2c3d4e5f696368d", ANN, names)).toBe("User …96368d"));
});
