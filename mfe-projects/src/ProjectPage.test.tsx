// @vitest-environment happy-dom
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProjectsApi, TASK_PAGE } from "./api";
import { CONFLICT_TITLE } from "./ConflictDialog";
import { ProjectPage } from "./ProjectPage";
import { received, type Sent } from "@platform/api-client/testing";
import type { ProjectOut, Task } from "./types";

const ME = "a".repeat(24);
const PROJECT: ProjectOut = {
  id: "p1",
  name: "Apollo",
  key: "APO",
  description: "",
  members: [{ user_id: ME, role: "owner" }],
  version: 1,
  created_by: ME,
  created_at: "2025-03-01T00:00:00Z",
  updated_at: "2025-03-01T00:00:00Z",
};

const task = (n: number, fields: Partial<Task> = {}): Task => ({
  id: `t${n}`,
  project_id: PROJECT.id,
  title: `Task ${n}`,
  description: "",
  status: "todo",
  priority: "medium",
  assignee: null,
  labels: [],
  due: null,
  created_by: ME,
  created_at: `2025-03-01T00:00:${String(n % 60).padStart(2, "0")}Z`,
  updated_at: "2025-03-01T00:00:00Z",
  completed_at: null,
  version: 1,
  ...fields,
});

type Answer = (sent: Sent) => Response | Promise<Response> | undefined;

/** The gateway: the project, its tasks by cursor (pages of TASK_PAGE), an event stream the test writes to, and `answer` for writes. */
function fakeGateway(tasks: Task[], answer: Answer = () => undefined) {
  const requests: Sent[] = [];
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const sent = await received(input, init);
    requests.push(sent);
    const { url } = sent;
    const answered = answer(sent);
    if (answered) return answered;
    if (url.pathname === "/api/core/events") {
      return new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) }), { headers: { "Content-Type": "text/event-stream" } });
    }
    if (url.pathname === `/api/core/projects/${PROJECT.id}`) return Response.json(PROJECT);
    if (url.pathname === `/api/core/projects/${PROJECT.id}/tasks`) {
      const from = Number(url.searchParams.get("cursor") ?? 0);
      const next = from + TASK_PAGE < tasks.length ? String(from + TASK_PAGE) : null;
      return Response.json({ items: tasks.slice(from, from + TASK_PAGE), next });
    }
    if (url.pathname === "/api/auth/users/directory") return Response.json([{ id: ME, display_name: "Me Myself" }]);
    return Response.json({ detail: "NOT_FOUND" }, { status: 404 });
  });
  vi.stubGlobal("fetch", fetchMock);
  const send = (type: string, data: unknown) => stream!.enqueue(new TextEncoder().encode(`id: 1\nevent: ${type}\ndata: ${JSON.stringify({ id: 1, type, data })}\n\n`));
  const lists = () => requests.filter((r) => r.url.pathname.endsWith("/tasks") && r.method === "GET");
  return { requests, send, lists };
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

const context: FragmentContext = {
  name: "projects",
  version: "1.0.0",
  basePath: "/projects",
  user: { id: ME, email: "me@example.io", roles: ["member"] },
  getToken: async () => "token-1",
  navigate: () => undefined,
  events: createEventBus(),
  reportError: (error) => {
    throw error;
  },
};

async function settled() {
  for (let round = 0; round < 8; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function showProject() {
  const api = createProjectsApi(context);
  await act(async () => root.render(<ProjectPage api={api} context={context} projectId={PROJECT.id} taskId={null} search="" />));
  await settled();
}

const column = (name: string) => [...container.querySelectorAll("section.column")].find((c) => c.querySelector("h2")!.textContent!.startsWith(name))!;
const titlesIn = (name: string) => [...column(name).querySelectorAll(".card-title")].map((a) => a.textContent);
const card = (id: string) => container.querySelector<HTMLElement>(`[data-task-id='${id}']`)!;

async function chooseStatus(id: string, status: string) {
  const select = card(id).querySelector("select")!;
  await act(async () => {
    select.value = status;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

describe("the project page's tasks", () => {
  it("are loaded once, every page, then kept current by events without listing again", async () => {
    const tasks = Array.from({ length: TASK_PAGE + 3 }, (_, n) => task(n));
    const gateway = fakeGateway(tasks);
    await showProject();
    expect(gateway.lists().map((r) => r.url.searchParams.get("cursor"))).toEqual([null, String(TASK_PAGE)]);
    expect(column("To do").querySelector(".count")!.textContent).toBe(String(TASK_PAGE + 3));

    await act(async () => gateway.send("task.updated", task(1, { title: "Renamed by Bo", status: "done", version: 2 })));
    await act(async () => gateway.send("task.updated", task(1, { title: "Stale", version: 1 })));
    await act(async () => gateway.send("task.created", task(999, { status: "in_progress" })));
    await act(async () => gateway.send("task.deleted", { id: "t3", project_id: PROJECT.id }));
    await settled();
    expect(titlesIn("Done")).toEqual(["Renamed by Bo"]);
    expect(card("t1").className).toContain("flash");
    expect(titlesIn("In progress")).toEqual(["Task 999"]);
    expect(column("To do").querySelector(".count")!.textContent).toBe(String(TASK_PAGE + 1));
    expect(gateway.lists()).toHaveLength(2);
  });

  it("show a status change at once, send it with If-Match, and roll it back with the error's code and request id when refused", async () => {
    const refused = Response.json({ detail: { code: "INVALID_TRANSITION", reason: "A cancelled task cannot become done" } }, { status: 409, headers: { "X-Request-ID": "req-7" } });
    let release: (response: Response) => void = () => undefined;
    const gateway = fakeGateway([task(1, { status: "cancelled", version: 4 })], ({ url, method }) =>
      url.pathname === "/api/core/tasks/t1" && method === "PATCH" ? new Promise<Response>((resolve) => (release = resolve)) : undefined,
    );
    await showProject();
    await chooseStatus("t1", "done");
    expect(titlesIn("Done")).toEqual(["Task 1"]);
    const patch = gateway.requests.find((r) => r.method === "PATCH")!;
    expect(patch.headers.get("If-Match")).toBe('"4"');

    await act(async () => release(refused));
    await settled();
    expect(titlesIn("Done")).toEqual([]);
    expect(titlesIn("Cancelled")).toEqual(["Task 1"]);
    const alert = container.querySelector("[role='alert']")!.textContent!;
    expect(alert).toContain("A cancelled task cannot become done");
    expect(alert).toContain("INVALID_TRANSITION");
    expect(alert).toContain("req-7");
  });

  it("send a second change of a task made before the first was answered from the version the first produced", async () => {
    const answers: ((response: Response) => void)[] = [];
    const gateway = fakeGateway([task(1, { version: 4 })], ({ url, method }) =>
      url.pathname === "/api/core/tasks/t1" && method === "PATCH" ? new Promise<Response>((resolve) => answers.push(resolve)) : undefined,
    );
    await showProject();
    await chooseStatus("t1", "in_progress");
    await chooseStatus("t1", "done");
    expect(titlesIn("Done")).toEqual(["Task 1"]);
    await act(async () => answers[0](Response.json(task(1, { status: "in_progress", version: 5 }))));
    await settled();
    await act(async () => answers[1](Response.json(task(1, { status: "done", version: 6 }))));
    await settled();
    const patches = gateway.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.headers.get("If-Match"))).toEqual(['"4"', '"5"']);
    expect(titlesIn("Done")).toEqual(["Task 1"]);
  });

  it("open the conflict dialog with both versions when the version sent is stale", async () => {
    const theirs = task(1, { title: "Their title", priority: "urgent", version: 2 });
    fakeGateway([task(1)], ({ url, method }) => {
      if (url.pathname !== "/api/core/tasks/t1") return undefined;
      if (method === "PATCH") return Response.json({ detail: { code: "VERSION_MISMATCH", reason: "Changed" } }, { status: 412 });
      return Response.json(theirs);
    });
    await showProject();
    await chooseStatus("t1", "in_progress");
    await settled();
    const dialog = container.querySelector("dialog.conflict")!;
    expect(dialog.querySelector("h2")!.textContent).toBe(CONFLICT_TITLE);
    expect([...dialog.querySelectorAll("legend")].map((l) => l.firstChild!.textContent)).toEqual(["Title", "Status", "Priority"]);
    expect([...dialog.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Keep theirs", "Merge", "Overwrite with mine"]);
  });

  it("render a board of 500 tasks as a window of cards", async () => {
    fakeGateway(Array.from({ length: 500 }, (_, n) => task(n)));
    const started = performance.now();
    await showProject();
    const elapsed = performance.now() - started;
    expect(column("To do").querySelector(".count")!.textContent).toBe("500");
    expect(container.querySelectorAll(".card").length).toBeLessThan(30);
    console.info(`board of 500 tasks: loaded and rendered in ${elapsed.toFixed(0)} ms (happy-dom, fake gateway)`);
  });
});
