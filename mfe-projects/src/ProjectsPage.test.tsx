// @vitest-environment happy-dom
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProjectsApi } from "./api";
import { ProjectsPage } from "./ProjectsPage";
import { received, type Sent } from "@platform/api-client/testing";
import type { ProjectOut } from "./types";

const ME = "a".repeat(24);
const project = (n: number, role: "owner" | "viewer"): ProjectOut => ({
  id: `p${n}`,
  name: `Project ${n}`,
  key: `P${n}X`,
  description: "",
  members: [{ user_id: ME, role }],
  version: 1,
  created_by: ME,
  created_at: "2025-03-01T00:00:00Z",
  updated_at: "2025-03-01T00:00:00Z",
});

/** The projects list answers `projects` two at a time (cursor "2"…); creating answers project "new". */
function fakeGateway(projects: ProjectOut[]) {
  const requests: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const sent = await received(input, init);
      requests.push(sent);
      const { url } = sent;
      if (url.pathname === "/api/core/projects" && sent.method === "POST") return Response.json({ ...project(9, "owner"), id: "new" }, { status: 201 });
      if (url.pathname === "/api/core/projects") {
        const from = Number(url.searchParams.get("cursor") ?? 0);
        const q = url.searchParams.get("q") ?? "";
        const found = projects.filter((p) => p.name.toLowerCase().includes(q.toLowerCase()));
        return Response.json({ items: found.slice(from, from + 2), next: from + 2 < found.length ? String(from + 2) : null });
      }
      return Response.json({ detail: "NOT_FOUND" }, { status: 404 });
    }),
  );
  return requests;
}

let container: HTMLElement;
let root: Root;
const navigate = vi.fn();
const context: FragmentContext = {
  name: "projects",
  version: "1.0.0",
  basePath: "/projects",
  user: { id: ME, email: "me@example.io", roles: ["member"] },
  getToken: async () => "token-1",
  navigate,
  events: createEventBus(),
  reportError: (error) => {
    throw error;
  },
};

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  history.replaceState(null, "", "/projects");
  navigate.mockReset();
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
  for (let round = 0; round < 6; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function show(search = "") {
  await act(async () => root.render(<ProjectsPage api={createProjectsApi(context)} context={context} search={search} />));
  await settled();
}

const button = (name: string) => [...container.querySelectorAll("button")].find((b) => b.textContent === name)!;
const field = (name: string) => [...container.querySelectorAll("label")].find((l) => l.firstChild?.textContent === name)!.querySelector("input, textarea") as HTMLInputElement;

async function type(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
  await act(async () => {
    setter.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

describe("the projects page", () => {
  it("leads someone without projects to create one, suggests its key and opens it", async () => {
    const requests = fakeGateway([]);
    await show();
    await act(async () => button("Create your first project").click());
    await type(field("Name"), "Mobile app redesign");
    expect(field("Key").value).toBe("MAR");
    await act(async () => button("Create").click());
    await settled();
    expect(requests.find((r) => r.method === "POST")!.body).toEqual({ name: "Mobile app redesign", key: "MAR", description: "" });
    expect(navigate).toHaveBeenCalledWith("/projects/new");
  });

  it("opens the form from ?new=1 (the dashboard's empty state links there)", async () => {
    fakeGateway([]);
    await show("?new=1");
    expect(container.querySelector("dialog h2")!.textContent).toBe("New project");
  });

  it("pages with the cursor, shows the role, and offers edit and delete to owners only", async () => {
    const requests = fakeGateway([project(1, "owner"), project(2, "viewer"), project(3, "viewer")]);
    await show();
    await act(async () => button("Show more projects").click());
    await settled();
    const items = [...container.querySelectorAll(".project-item")];
    expect(items.map((item) => item.querySelector(".hint")!.textContent)).toEqual(["Your role: owner · 1 member", "Your role: viewer · 1 member", "Your role: viewer · 1 member"]);
    expect(items.map((item) => item.querySelectorAll(".row-actions button").length)).toEqual([2, 0, 0]);
    expect(requests.map((r) => r.url.searchParams.get("cursor"))).toEqual([null, "2"]);
  });

  it("searches by name after typing stops, and keeps the search in the URL", async () => {
    const requests = fakeGateway([project(1, "owner"), project(22, "owner")]);
    await show();
    await type(container.querySelector<HTMLInputElement>("input[type='search']")!, "22");
    await act(async () => new Promise((resolve) => setTimeout(resolve, 300)));
    await settled();
    expect(requests.at(-1)!.url.searchParams.get("q")).toBe("22");
    expect([...container.querySelectorAll(".project-name")].map((a) => a.textContent)).toEqual(["Project 22"]);
    expect(location.search).toBe("?q=22");
  });
});
