// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdminApi, type User } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { OTHER_ROLE } from "./RolesPicker";
import { Users } from "./Users";

const MIA: User = { id: "0".repeat(23) + "1", email: "mia@example.io", full_name: "Mia", roles: ["member", "publisher:dashboard"], is_active: true, is_verified: true, created_at: null };
const FRAGMENTS = [
  { name: "dashboard", publisher_role: "publisher:dashboard", roles: ["member", "admin"] },
  { name: "admin", publisher_role: "publisher:admin", roles: ["admin"] },
];

/** The gateway: one user, two registered fragments; PATCHes are recorded and echoed. */
function fakeGateway() {
  const patches: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init?: RequestInit) => {
      const url = new URL(input, "http://platform.test");
      if (url.pathname === "/api/core/fragments") return Response.json(FRAGMENTS);
      if (url.pathname === "/api/auth/users") return Response.json({ items: [MIA], total: 1, page: 1, per_page: 20 });
      if (url.pathname === `/api/auth/users/${MIA.id}` && init?.method === "PATCH") {
        const body = JSON.parse(String(init.body)) as Partial<User>;
        patches.push(body);
        return Response.json({ ...MIA, ...body });
      }
      return Response.json({ detail: "NOT_FOUND" }, { status: 404 });
    }),
  );
  return patches;
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
    const patches = fakeGateway();
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
    const patches = fakeGateway();
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
    const patches = fakeGateway();
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
