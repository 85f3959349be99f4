// @vitest-environment happy-dom
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProjectOut, ProjectRole } from "../types";
import { MembersPanel } from "./MembersPanel";
import { parseNewcomer, sortedMembers } from "./members";
import { received, type Sent } from "@platform/api-client/testing";

const id = (n: number) => n.toString(16).padStart(24, "0");
const ME = id(1);
const BO = id(2);
const CY = id(3);
const NAMES: Record<string, string> = { [ME]: "Me Myself", [BO]: "Bo Ortiz", [CY]: "Cy Park" };
const ACCOUNTS: Record<string, string> = { "cy@example.io": CY };

const project = (members: [string, ProjectRole][], version = 1): ProjectOut => ({
  id: "p1",
  name: "Apollo",
  key: "APO",
  description: "",
  members: members.map(([user_id, role]) => ({ user_id, role })),
  version,
  created_by: ME,
  created_at: "2025-03-01T00:00:00Z",
  updated_at: "2025-03-01T00:00:00Z",
});

const refusal = (status: number, code: string, reason: string) => Response.json({ detail: { code, reason } }, { status, headers: { "X-Request-ID": `req-${code}` } });

/**
 * The gateway: the directory names NAMES, the e-mail look-up knows ACCOUNTS, member writes
 * answer `write(sent)` (by default the project as changed); every request is recorded.
 */
function fakeGateway(current: { project: ProjectOut }, write?: (sent: Sent) => Response | undefined) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = await received(input, init);
      const { url } = request;
      sent.push(request);
      if (url.pathname === "/api/auth/users/directory") {
        return Response.json(url.searchParams.get("ids")!.split(",").filter((i) => i in NAMES).map((i) => ({ id: i, display_name: NAMES[i] })));
      }
      if (url.pathname === "/api/auth/users/lookup") {
        const found = ACCOUNTS[url.searchParams.get("email")!];
        return found ? Response.json({ id: found, display_name: NAMES[found] }) : refusal(404, "EMAIL_LOOKUP_NOT_FOUND", "No active account has this e-mail address");
      }
      const member = url.pathname.match(/^\/api\/core\/projects\/p1\/members\/(.+)$/);
      if (member) {
        const answered = write?.(request);
        if (answered) return answered;
        const userId = decodeURIComponent(member[1]);
        const others = current.project.members.filter((m) => m.user_id !== userId);
        const role = (request.body as { role?: ProjectRole } | undefined)?.role;
        current.project = { ...current.project, members: role ? [...others, { user_id: userId, role }] : others, version: current.project.version + 1 };
        return Response.json(current.project);
      }
      if (url.pathname === "/api/core/projects/p1") return Response.json(current.project);
      return Response.json({ detail: "NOT_FOUND" }, { status: 404 });
    }),
  );
  const writes = () => sent.filter((r) => r.method !== "GET");
  return { sent, writes };
}

const context: FragmentContext = {
  name: "projects",
  version: "1.0.0",
  basePath: "/projects",
  user: { id: ME, email: "me@example.io", roles: ["member"] },
  getToken: async () => "token-1",
  navigate: vi.fn(),
  events: createEventBus(),
  reportError: (error) => {
    throw error;
  },
};

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

async function settled() {
  for (let round = 0; round < 8; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** Renders the panel the way ProjectPage does: the project it hands back becomes the prop. */
async function show(current: { project: ProjectOut }, as: FragmentContext = context) {
  const changes: ProjectOut[] = [];
  const render = () =>
    root.render(
      <MembersPanel
        context={as}
        project={current.project}
        onProjectChange={(next) => {
          changes.push(next);
          current.project = next;
          render();
        }}
      />,
    );
  await act(async () => render());
  await settled();
  return changes;
}

const rows = () => [...container.querySelectorAll("[data-member-id]")].map((row) => [row.querySelector(".member-name")!.textContent, row.querySelector<HTMLSelectElement>("select")?.value ?? row.querySelector(".member-role")!.textContent]);
const alertText = () => container.querySelector("[role=alert]")?.textContent ?? "";
const button = (text: string, within: ParentNode = container) => [...within.querySelectorAll("button")].find((b) => b.textContent!.startsWith(text))!;

async function addMember(who: string, role: ProjectRole = "editor") {
  const form = container.querySelector<HTMLFormElement>("form[aria-label='Add member']")!;
  const input = form.querySelector("input")!;
  const select = form.querySelector("select")!;
  await act(async () => {
    // React tracks the value it set; set it the way a person's typing does.
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, who);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    select.value = role;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await act(async () => form.requestSubmit());
  await settled();
}

async function chooseRole(userId: string, role: ProjectRole) {
  const select = container.querySelector<HTMLSelectElement>(`[data-member-id='${userId}'] select`)!;
  await act(async () => {
    select.value = role;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await settled();
}

describe("the Members panel, for an owner", () => {
  it("lists members by role with their directory names, service accounts as client:<id>", async () => {
    const current = { project: project([[BO, "viewer"], ["client:reporter", "editor"], [ME, "owner"]]) };
    const { sent } = fakeGateway(current);
    await show(current);
    expect(rows()).toEqual([
      ["Me Myself (you)", "owner"],
      ["client:reporter", "editor"],
      ["Bo Ortiz", "viewer"],
    ]);
    const asked = sent.filter((r) => r.url.pathname === "/api/auth/users/directory").map((r) => r.url.searchParams.get("ids")!.split(",").sort());
    expect(asked).toEqual([[ME, BO].sort()]);
  });

  it("adds someone by exact e-mail with If-Match and hands the changed project on", async () => {
    const current = { project: project([[ME, "owner"]]) };
    const { sent, writes } = fakeGateway(current);
    const changes = await show(current);
    await addMember("cy@example.io", "viewer");
    expect(sent.find((r) => r.url.pathname === "/api/auth/users/lookup")!.url.searchParams.get("email")).toBe("cy@example.io");
    expect(writes().map((r) => [r.method, r.url.pathname, r.headers.get("If-Match"), r.body])).toEqual([["PUT", `/api/core/projects/p1/members/${CY}`, '"1"', { role: "viewer" }]]);
    expect(changes.map((p) => p.version)).toEqual([2]);
    expect(rows()).toContainEqual(["Cy Park", "viewer"]);
    expect(container.querySelector("[role=status]")!.textContent).toBe("Cy Park was added as viewer.");
    expect(container.querySelector<HTMLInputElement>("form[aria-label='Add member'] input")!.value).toBe("");
  });

  it("shows an unknown e-mail's refusal with its code and request id, and writes nothing", async () => {
    const current = { project: project([[ME, "owner"]]) };
    const { writes } = fakeGateway(current);
    await show(current);
    await addMember("nobody@example.io");
    expect(alertText()).toContain("No active account has that e-mail address");
    expect(alertText()).toContain("EMAIL_LOOKUP_NOT_FOUND");
    expect(alertText()).toContain("req-EMAIL_LOOKUP_NOT_FOUND");
    expect(writes()).toEqual([]);
    expect(container.querySelector<HTMLInputElement>("form[aria-label='Add member'] input")!.value).toBe("nobody@example.io");
  });

  it("grants a service account by client:<id>, and shows the core-api's MEMBER_NOT_FOUND", async () => {
    const current = { project: project([[ME, "owner"]]) };
    const { sent, writes } = fakeGateway(current, (r) => (r.url.pathname.endsWith("client%3Aghost") ? refusal(404, "MEMBER_NOT_FOUND", "not an account") : undefined));
    await show(current);
    await addMember("client:reporter", "viewer");
    expect(rows()).toContainEqual(["client:reporter", "viewer"]);
    await addMember("client:ghost");
    expect(alertText()).toContain("MEMBER_NOT_FOUND");
    expect(writes().map((r) => r.url.pathname)).toEqual(["/api/core/projects/p1/members/client%3Areporter", "/api/core/projects/p1/members/client%3Aghost"]);
    expect(sent.some((r) => r.url.pathname === "/api/auth/users/lookup")).toBe(false);
  });

  it("refuses input that is neither an address nor client:<id>, and an existing member, without a request", async () => {
    const current = { project: project([[ME, "owner"], [CY, "editor"]]) };
    const { writes } = fakeGateway(current);
    await show(current);
    await addMember("cy");
    expect(alertText()).toContain("exact e-mail address");
    await addMember("cy@example.io");
    expect(alertText()).toContain("Cy Park is already a member");
    expect(writes()).toEqual([]);
  });

  it("changes a role with If-Match, and shows LAST_OWNER when the last owner steps down", async () => {
    const current = { project: project([[ME, "owner"], [BO, "viewer"]]) };
    const { writes } = fakeGateway(current, (r) => ((r.body as { role?: string })?.role === "editor" && r.url.pathname.endsWith(ME) ? refusal(409, "LAST_OWNER", "A project keeps at least one owner") : undefined));
    await show(current);
    await chooseRole(BO, "editor");
    expect(rows()).toContainEqual(["Bo Ortiz", "editor"]);
    await chooseRole(ME, "editor");
    expect(alertText()).toContain("make someone else an owner first");
    expect(alertText()).toContain("LAST_OWNER");
    expect(rows()).toContainEqual(["Me Myself (you)", "owner"]);
    expect(writes().map((r) => [r.method, r.headers.get("If-Match")])).toEqual([
      ["PUT", '"1"'],
      ["PUT", '"2"'],
    ]);
  });

  it("asks before removing; cancelling sends nothing, confirming sends DELETE with If-Match", async () => {
    const current = { project: project([[ME, "owner"], [BO, "editor"]]) };
    const { writes } = fakeGateway(current);
    await show(current);
    await act(async () => button("Remove", container.querySelector(`[data-member-id='${BO}']`)!).click());
    const dialog = container.querySelector("dialog")!;
    expect(dialog.textContent).toContain("Remove Bo Ortiz?");
    await act(async () => button("Cancel", dialog).click());
    await settled();
    expect(writes()).toEqual([]);
    await act(async () => button("Remove", container.querySelector(`[data-member-id='${BO}']`)!).click());
    await act(async () => container.querySelector<HTMLFormElement>("dialog form")!.requestSubmit());
    await settled();
    expect(writes().map((r) => [r.method, r.url.pathname, r.headers.get("If-Match")])).toEqual([["DELETE", `/api/core/projects/p1/members/${BO}`, '"1"']]);
    expect(rows()).toEqual([["Me Myself (you)", "owner"]]);
  });

  it("on a stale version shows the conflict and reloads the project", async () => {
    const current = { project: project([[ME, "owner"], [BO, "editor"]]) };
    fakeGateway(current, () => {
      current.project = project([[ME, "owner"], [BO, "editor"], [CY, "viewer"]], 5);
      return refusal(412, "VERSION_MISMATCH", "changed");
    });
    const changes = await show(current);
    await chooseRole(BO, "viewer");
    expect(alertText()).toContain("Someone else changed this project's members");
    expect(changes.map((p) => p.version)).toEqual([5]);
    expect(rows()).toContainEqual(["Cy Park", "viewer"]);
  });
});

describe("the Members panel, for others", () => {
  it("is a read-only list for editors and viewers", async () => {
    const current = { project: project([[BO, "owner"], [ME, "editor"]]) };
    fakeGateway(current);
    await show(current);
    expect(rows()).toEqual([
      ["Bo Ortiz", "Owner"],
      ["Me Myself (you)", "Editor"],
    ]);
    expect(container.querySelector("form")).toBeNull();
    expect(container.querySelector("select, button")).toBeNull();
    expect(container.textContent).toContain("Only the project's owners");
  });
});

describe("parseNewcomer", () => {
  it("tells e-mail addresses, service accounts and anything else apart", () => {
    expect(parseNewcomer("  cy@example.io ")).toEqual({ kind: "email", email: "cy@example.io" });
    expect(parseNewcomer("client:reporter")).toEqual({ kind: "client", id: "client:reporter" });
    expect(parseNewcomer("Client:reporter")).toEqual({ kind: "client", id: "client:reporter" });
    for (const bad of ["", "cy", "cy@", "@example.io", "a b@example.io", "client:", "client:Bad Name", "client:x"]) {
      expect(parseNewcomer(bad).kind, bad).toBe("invalid");
    }
  });
});

describe("sortedMembers", () => {
  it("puts owners first, then editors, then viewers, by name within a role", () => {
    const members = project([[CY, "viewer"], [BO, "owner"], [ME, "viewer"], ["client:a", "editor"]]).members;
    const label = (i: string) => NAMES[i] ?? i;
    expect(sortedMembers(members, label).map((m) => label(m.user_id))).toEqual(["Bo Ortiz", "client:a", "Cy Park", "Me Myself"]);
  });
});
