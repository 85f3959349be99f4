// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AUDIT_PAGE_SIZE, createAdminApi, LOOKUP_BATCH, type AuditEntry, type User } from "./api";
import { Audit } from "./Audit";
import { errorAnswer, received } from "@platform/api-client/testing";

const id = (n: number) => n.toString(16).padStart(24, "0");
const ANN = id(1);
const BO = id(2);
const CY = id(3);
const GONE = id(4);
const PEOPLE: Record<string, string> = { [ANN]: "ann.lee@example.io", [BO]: "bo@example.io", [CY]: "cy.park@example.io" };

const user = (userId: string): User => ({
  id: userId,
  email: PEOPLE[userId],
  full_name: null,
  roles: ["member"],
  is_active: true,
  is_superuser: false,
  is_verified: false,
  created_at: null,
});

const entry = (n: number, actor: string): AuditEntry => ({
  id: `entry-${n}`,
  at: "2025-03-14T09:30:00Z",
  actor,
  actor_roles: ["admin"],
  action: "fragment.activated",
  target_type: "fragment",
  target_id: "dashboard",
  project_id: null,
  request_id: null,
  before: null,
  after: null,
});

/**
 * The gateway as the fragment sees it: `/api/core/audit` answers `pages` (by cursor "1", "2"…),
 * the admin user list answers PEOPLE among the `ids` asked (or fails while `authDown`); every
 * URL asked is recorded.
 */
function fakeGateway(pages: AuditEntry[][]) {
  const requests: URL[] = [];
  const state = { authDown: false };
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const { url } = await received(input, init);
    requests.push(url);
    if (url.pathname === "/api/core/audit") {
      const index = Number(url.searchParams.get("cursor") ?? 0);
      return Response.json({ items: pages[index], next: index + 1 < pages.length ? String(index + 1) : null });
    }
    if (url.pathname === "/api/auth/users" && url.searchParams.has("ids")) {
      if (state.authDown) return errorAnswer(503, "UPSTREAM_UNAVAILABLE", "down");
      const items = url.searchParams.get("ids")!.split(",").filter((i) => i in PEOPLE).map(user);
      const limit = Number(url.searchParams.get("limit") ?? 50);
      return Response.json({ items: items.slice(0, limit), next: null });
    }
    return errorAnswer(404, "NOT_FOUND", "Not found");
  });
  vi.stubGlobal("fetch", fetchMock);
  const lookups = () => requests.filter((url) => url.pathname === "/api/auth/users");
  const lookupCalls = () => lookups().map((url) => url.searchParams.get("ids")!.split(","));
  return { requests, state, lookups, lookupCalls };
}

let container: HTMLElement;
let root: Root;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

async function showAudit() {
  const api = createAdminApi({ getToken: async () => "token-1" });
  await act(async () => root.render(<Audit api={api} />));
}

const actorCells = () => [...container.querySelectorAll("tbody tr")].map((row) => row.children[1].textContent);

async function settled() {
  // Each round lets a pending fetch answer and React commit what it set.
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function clickOlder() {
  const older = [...container.querySelectorAll("button")].find((button) => button.textContent === "Older")!;
  await act(async () => older.click());
  await settled();
}

describe("the audit log's actors", () => {
  it("are shown by e-mail with one look-up request for the whole page; others show as their ids", async () => {
    const page = [entry(1, ANN), entry(2, BO), entry(3, ANN), entry(4, "client:reporter"), entry(5, CY), entry(6, GONE), entry(7, "system:canary-health-gate")];
    const { requests, lookups, lookupCalls } = fakeGateway([page]);
    await showAudit();
    await settled();

    expect(lookupCalls()).toEqual([[ANN, BO, CY, GONE]]);
    expect(lookups()[0].searchParams.get("limit")).toBe(String(LOOKUP_BATCH));
    expect(requests.map((url) => url.pathname).sort()).toEqual(["/api/auth/users", "/api/core/audit"]);
    expect(actorCells()).toEqual([
      "ann.lee@example.io",
      "bo@example.io",
      "ann.lee@example.io",
      "client:reporter",
      "cy.park@example.io",
      GONE,
      "system:canary-health-gate",
    ]);
  });

  it("are asked about once: the next page asks only for actors not seen before", async () => {
    const { lookupCalls } = fakeGateway([[entry(1, ANN), entry(2, GONE)], [entry(3, GONE), entry(4, ANN), entry(5, BO)], [entry(6, BO)]]);
    await showAudit();
    await settled();
    await clickOlder();
    expect(actorCells()).toEqual([GONE, "ann.lee@example.io", "bo@example.io"]);
    await clickOlder();
    expect(actorCells()).toEqual(["bo@example.io"]);
    expect(lookupCalls()).toEqual([[ANN, GONE], [BO]]);
  });

  it("show as ids when the look-up fails, and the next page asks again", async () => {
    const { state, lookupCalls } = fakeGateway([[entry(1, ANN)], [entry(2, ANN), entry(3, BO)]]);
    state.authDown = true;
    await showAudit();
    await settled();
    expect(actorCells()).toEqual([ANN]);
    state.authDown = false;
    await clickOlder();
    expect(actorCells()).toEqual(["ann.lee@example.io", "bo@example.io"]);
    expect(lookupCalls()).toEqual([[ANN], [ANN, BO]]);
  });

  it("make no look-up request when none is a user", async () => {
    const { lookupCalls } = fakeGateway([[entry(1, "client:reporter"), entry(2, "system:canary-health-gate")]]);
    await showAudit();
    await settled();
    expect(actorCells()).toEqual(["client:reporter", "system:canary-health-gate"]);
    expect(lookupCalls()).toEqual([]);
  });
});

describe("createAdminApi().emails", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("splits more ids than the auth service takes into requests of at most 100", async () => {
    const { lookupCalls } = fakeGateway([]);
    const many = Array.from({ length: LOOKUP_BATCH + 5 }, (_, n) => id(100 + n));
    const emails = await createAdminApi({ getToken: async () => "token-1" }).emails([...many, ANN, BO, "client:reporter"]);
    expect(lookupCalls().map((ids) => ids.length)).toEqual([LOOKUP_BATCH, 7]);
    expect(Object.fromEntries(emails)).toEqual({ [ANN]: "ann.lee@example.io", [BO]: "bo@example.io" });
  });
});

describe("the audit log's filters", () => {
  it("send only the filters given (dates as instants), and start again from the newest page", async () => {
    const { requests } = fakeGateway([[entry(1, "client:reporter")], [entry(2, "client:reporter")]]);
    await showAudit();
    await settled();
    await clickOlder();
    const form = container.querySelector<HTMLFormElement>("form[aria-label='Audit filters']")!;
    const field = (name: string) => form.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
    await act(async () => {
      field("actor").value = " client:reporter ";
      field("since").value = "2025-03-14T09:30";
      form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    });
    await settled();

    const asked = requests.filter((url) => url.pathname === "/api/core/audit").map((url) => Object.fromEntries(url.searchParams));
    expect(asked).toEqual([
      { limit: String(AUDIT_PAGE_SIZE) },
      { limit: String(AUDIT_PAGE_SIZE), cursor: "1" },
      { limit: String(AUDIT_PAGE_SIZE), actor: "client:reporter", since: new Date(2025, 2, 14, 9, 30).toISOString() },
    ]);
  });

  it("show the error's message when the log cannot be read", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => errorAnswer(400, "INVALID_RANGE", "`since` must be before `until`")));
    await showAudit();
    await settled();
    expect(container.querySelector("[role=alert]")?.textContent).toBe("`since` must be before `until`");
  });
});
