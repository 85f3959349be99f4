// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdminApi, USER_PAGE_SIZE, type User } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { OTHER_ROLE } from "./RolesPicker";
import { errorAnswer, received } from "@platform/api-client/testing";
import { Users } from "./Users";

const person = (n: number, name: string): User => ({
  id: n.toString(16).padStart(24, "0"),
  email: `${name.toLowerCase()}@example.io`,
  full_name: name,
  roles: ["member"],
  is_active: true,
  is_superuser: false,
  is_verified: true,
  created_at: null,
});
const MIA: User = { ...person(1, "Mia"), roles: ["member", "publisher:dashboard"] };
const FRAGMENTS = [
  { name: "dashboard", publisher_role: "publisher:dashboard", roles: ["member", "admin"] },
  { name: "admin", publisher_role: "publisher:admin", roles: ["admin"] },
];

/**
 * The gateway: `users` (MIA alone by default) as the auth service pages them, by cursor
 * ("2", "3"…) and search (`q` in the e-mail or name); two registered fragments; PATCHes to a
 * user are recorded and echoed, or answered `refusal` when set. Every user list asked is recorded.
 */
function fakeGateway(users: User[] = [MIA], refusal?: () => Response) {
  const patches: unknown[] = [];
  const lists: URLSearchParams[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const { method, url, body } = await received(input, init);
      if (url.pathname === "/api/core/fragments") return Response.json(FRAGMENTS);
      if (url.pathname === "/api/auth/users") {
        lists.push(url.searchParams);
        return Response.json(usersPage(users, url.searchParams));
      }
      const target = users.find((user) => url.pathname === `/api/auth/users/${user.id}`);
      if (target && method === "PATCH") {
        if (refusal) return refusal();
        patches.push(body);
        return Response.json({ ...target, ...(body as Partial<User>) });
      }
      return errorAnswer(404, "NOT_FOUND", "Not found");
    }),
  );
  return { patches, lists };
}

function usersPage(users: User[], query: URLSearchParams) {
  const q = (query.get("q") ?? "").toLowerCase();
  const matching = users.filter((user) => `${user.email} ${user.full_name}`.toLowerCase().includes(q));
  const limit = Number(query.get("limit") ?? 50);
  const start = Number(query.get("cursor") ?? 1) - 1;
  const more = start + limit < matching.length;
  return { items: matching.slice(start, start + limit), next: more ? String(start + limit + 1) : null };
}

let container: HTMLElement;
let root: Root;
let confirm: ReturnType<typeof vi.fn<(c: Confirmation) => void>>;

beforeEach(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  confirm = vi.fn<(c: Confirmation) => void>();
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

async function settled() {
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function showUsers() {
  const api = createAdminApi({ getToken: async () => "token-1" });
  await act(async () => root.render(<Users api={api} confirm={confirm} you="someone-else" />));
  await settled();
}

const picker = () => container.querySelector<HTMLSelectElement>("select")!;
const offered = () => [...picker().options].map((option) => option.textContent);
const chips = () => [...container.querySelectorAll(".chip")].map((chip) => chip.firstChild?.textContent);
const button = (name: string) => [...container.querySelectorAll("button")].find((b) => (b.getAttribute("aria-label") ?? b.textContent) === name)!;

async function choose(value: string) {
  await act(async () => {
    picker().value = value;
    picker().dispatchEvent(new Event("change", { bubbles: true }));
  });
}

async function type(input: HTMLInputElement, text: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, text);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

async function click(target: HTMLElement) {
  await act(async () => target.click());
  await settled();
}

describe("the user roles picker", () => {
  it("offers the known roles the user lacks and saves an added one without asking", async () => {
    const { patches } = fakeGateway();
    await showUsers();

    expect(chips()).toEqual(["member", "publisher:dashboard"]);
    expect(offered()).toEqual(["Add a role…", "admin", "publisher:admin", "Other role…"]);
    expect(button("Save roles").disabled).toBe(true);

    await choose("publisher:admin");
    expect(chips()).toEqual(["member", "publisher:dashboard", "publisher:admin"]);
    await click(button("Save roles"));

    expect(confirm).not.toHaveBeenCalled();
    expect(patches).toEqual([{ roles: ["member", "publisher:dashboard", "publisher:admin"] }]);
  });

  it("asks before a role is taken away, and saves only when confirmed", async () => {
    const { patches } = fakeGateway();
    await showUsers();

    await click(button("Remove publisher:dashboard from mia@example.io"));
    await click(button("Save roles"));

    expect(patches).toEqual([]);
    expect(confirm).toHaveBeenCalledOnce();
    const asked = confirm.mock.calls[0][0];
    expect(asked.title).toBe("Remove publisher:dashboard from mia@example.io?");
    await act(async () => void (await asked.run()));
    expect(patches).toEqual([{ roles: ["member"] }]);
  });

  it("adds a custom role only when the auth service would accept it", async () => {
    const { patches } = fakeGateway();
    await showUsers();

    await choose(OTHER_ROLE);
    const field = container.querySelector<HTMLInputElement>(".other-role input")!;
    await type(field, "Finance Team");
    await click(button("Add"));
    expect(container.querySelector("[role=alert]")?.textContent).toMatch(/starts with a lower-case letter/);
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(chips()).toEqual(["member", "publisher:dashboard"]);

    await type(field, "finance.team");
    await click(button("Add"));
    expect(chips()).toEqual(["member", "publisher:dashboard", "finance.team"]);
    await click(button("Save roles"));
    expect(patches).toEqual([{ roles: ["member", "publisher:dashboard", "finance.team"] }]);
  });
});

const emails = () => [...container.querySelectorAll("tbody tr")].map((row) => row.children[0].textContent);
const pageLabel = () => container.querySelector(".pager span")?.textContent;

async function search(text: string) {
  const form = container.querySelector<HTMLFormElement>("form[role=search]")!;
  await act(async () => {
    form.querySelector<HTMLInputElement>("input[name=q]")!.value = text;
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  });
  await settled();
}

describe("the user list's pages", () => {
  const everyone = Array.from({ length: USER_PAGE_SIZE * 2 + 3 }, (_, n) => person(n + 1, `User${String(n + 1).padStart(2, "0")}`));

  it("follow the list's cursors with Next to the last user, and come back with Previous", async () => {
    const { lists } = fakeGateway(everyone);
    await showUsers();
    expect(emails()).toEqual(everyone.slice(0, USER_PAGE_SIZE).map((user) => user.email));
    expect(button("Previous").disabled).toBe(true);

    await click(button("Next"));
    await click(button("Next"));
    expect(pageLabel()).toBe("Page 3");
    expect(emails()).toEqual(everyone.slice(USER_PAGE_SIZE * 2).map((user) => user.email));
    expect(button("Next").disabled).toBe(true);

    await click(button("Previous"));
    expect(pageLabel()).toBe("Page 2");
    expect(emails()).toEqual(everyone.slice(USER_PAGE_SIZE, USER_PAGE_SIZE * 2).map((user) => user.email));
    const asked = lists.map((query) => Object.fromEntries(query));
    expect(asked.slice(0, 3)).toEqual([
      { limit: String(USER_PAGE_SIZE) },
      { limit: String(USER_PAGE_SIZE), cursor: String(USER_PAGE_SIZE + 1) },
      { limit: String(USER_PAGE_SIZE), cursor: String(USER_PAGE_SIZE * 2 + 1) },
    ]);
  });

  it("start again from the first page of the matches when searching", async () => {
    const { lists } = fakeGateway(everyone);
    await showUsers();
    await click(button("Next"));
    await search("  user4 ");
    expect(pageLabel()).toBe("Page 1");
    expect(emails()).toEqual(["user40@example.io", "user41@example.io", "user42@example.io", "user43@example.io"]);
    expect(Object.fromEntries(lists[lists.length - 1])).toEqual({ q: "user4", limit: String(USER_PAGE_SIZE) });
    expect(button("Next").disabled).toBe(true);
  });

  it("say so when nobody matches", async () => {
    fakeGateway(everyone);
    await showUsers();
    await search("nobody");
    expect(container.querySelector(".empty")?.textContent).toBe("No users match.");
  });
});

describe("a refused change", () => {
  it("shows the auth service's message, and 'not allowed' for a 403", async () => {
    fakeGateway([MIA], () => errorAnswer(400, "UPDATE_USER_INVALID_PASSWORD", "Password too weak"));
    await showUsers();
    await choose("admin");
    await click(button("Save roles"));
    expect(container.querySelector("[role=status].note")?.textContent).toBe("Password too weak");

    act(() => root.unmount());
    root = createRoot(container);
    fakeGateway([MIA], () => errorAnswer(403, "FORBIDDEN", "Forbidden"));
    await showUsers();
    await choose("admin");
    await click(button("Save roles"));
    expect(container.querySelector("[role=status].note")?.textContent).toBe("You are not allowed to do this.");
  });

  it("shows why the list could not be loaded", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => errorAnswer(400, "INVALID_CURSOR", "The cursor is malformed")));
    await showUsers();
    expect(container.querySelector("[role=alert]")?.textContent).toBe("The cursor is malformed");
  });
});
