// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorAnswer, received } from "@platform/api-client/testing";
import { createDashboardApi, TASK_PAGE_SIZE, type Project, type Task } from "./api";
import { TaskList } from "./TaskList";

const project = (id: string, name: string) => ({ id, name }) as Project;
const APOLLO = project("p1", "Apollo");
const ZEUS = project("p2", "Zeus");

const task = (n: number, fields: Partial<Task> = {}): Task => ({
  id: `t${n}`,
  project_id: APOLLO.id,
  title: `Task ${n}`,
  description: "",
  status: "todo",
  priority: "medium",
  assignee: null,
  labels: [],
  due: null,
  created_by: "u1",
  created_at: "2026-03-01T00:00:00Z",
  updated_at: "2026-03-01T00:00:00Z",
  completed_at: null,
  version: 1,
  ...fields,
});

/**
 * The gateway's task list: `tasks` of any project, in pages of the limit asked (the cursor
 * is the index to start from), filtered by status, priority and title as core-api does; or
 * `answer`'s response. Every query is recorded with its project.
 */
function fakeGateway(tasks: Task[], answer?: () => Response | Promise<Response>) {
  const asked: { project: string; query: Record<string, string | string[]> }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const { url } = await received(input, init);
      const match = /^\/api\/core\/projects\/([^/]+)\/tasks$/.exec(url.pathname);
      if (!match) return errorAnswer(404, "NOT_FOUND", "Not found");
      const query: Record<string, string | string[]> = Object.fromEntries(url.searchParams);
      for (const many of ["status", "priority"]) if (url.searchParams.getAll(many).length) query[many] = url.searchParams.getAll(many);
      asked.push({ project: match[1], query });
      if (answer) return answer();
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      const matching = tasks.filter(
        (t) =>
          t.project_id === match[1] &&
          (!url.searchParams.has("status") || url.searchParams.getAll("status").includes(t.status)) &&
          (!url.searchParams.has("priority") || url.searchParams.getAll("priority").includes(t.priority)) &&
          t.title.toLowerCase().includes(q),
      );
      const from = Number(url.searchParams.get("cursor") ?? 0);
      const limit = Number(url.searchParams.get("limit"));
      return Response.json({ items: matching.slice(from, from + limit), next: from + limit < matching.length ? String(from + limit) : null });
    }),
  );
  return asked;
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

async function settled() {
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

const api = createDashboardApi({ getToken: async () => "token-1" });

async function showTasks(project = "", refreshKey = 0) {
  await act(async () => root.render(<TaskList api={api} projects={[APOLLO, ZEUS]} project={project} refreshKey={refreshKey} />));
  await settled();
}

const rows = () => [...container.querySelectorAll("tbody tr:not(.skeleton)")].map((tr) => [...tr.querySelectorAll("td")].slice(0, 4).map((td) => td.textContent));
const titles = () => rows().map((row) => row[0]);
const select = (name: string) => [...container.querySelectorAll("label")].find((l) => l.firstChild!.textContent === name)!.querySelector("select")!;
const search = () => container.querySelector<HTMLInputElement>("input[type=search]")!;
const button = (name: string) => [...container.querySelectorAll("button")].find((b) => b.textContent === name)!;
const pageLabel = () => container.querySelector(".pager span")!.textContent;

async function choose(target: HTMLSelectElement, value: string) {
  await act(async () => {
    target.value = value;
    target.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await settled();
}

async function type(text: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(search(), text);
    search().dispatchEvent(new Event("input", { bubbles: true }));
  });
}

async function click(target: HTMLElement) {
  await act(async () => target.click());
  await settled();
}

describe("the task list", () => {
  it("starts on the first project when the dashboard shows all, latest changes first, a page at a time", async () => {
    const asked = fakeGateway([task(1, { status: "in_progress", priority: "urgent", due: "2026-03-20" }), task(2), task(3, { project_id: ZEUS.id })]);
    await showTasks();

    expect(asked).toEqual([{ project: APOLLO.id, query: { limit: String(TASK_PAGE_SIZE), sort: "-updated" } }]);
    expect(select("Project").value).toBe(APOLLO.id);
    expect([...select("Project").options].map((o) => o.textContent)).toEqual(["Apollo", "Zeus"]);
    expect(rows()).toEqual([
      ["Task 1", "In progress", "Urgent", "2026-03-20"],
      ["Task 2", "Todo", "Medium", "–"],
    ]);
    expect(container.querySelector("tbody .status")!.className).toBe("status status-in_progress");
    expect(container.querySelector("table")!.getAttribute("aria-busy")).toBe("false");
  });

  it("starts on the dashboard's project when one is chosen", async () => {
    const asked = fakeGateway([task(3, { project_id: ZEUS.id })]);
    await showTasks(ZEUS.id);
    expect(asked.map((a) => a.project)).toEqual([ZEUS.id]);
    expect(titles()).toEqual(["Task 3"]);
  });

  it("keeps a page's room with placeholder rows, announced, while the first page loads", async () => {
    fakeGateway([], () => new Promise<Response>(() => undefined));
    await showTasks();
    expect(container.querySelector("[role=status]")!.textContent).toBe("Loading tasks…");
    expect(container.querySelectorAll("tbody tr.skeleton")).toHaveLength(TASK_PAGE_SIZE);
    expect(container.querySelector("table")!.getAttribute("aria-busy")).toBe("true");
    expect(button("Next").disabled).toBe(true);
  });

  it("filters by status, priority and title, each from the first page", async () => {
    const tasks = [
      task(1, { status: "done", priority: "high", title: "Ship the release" }),
      task(2, { status: "done", priority: "low", title: "Ship stickers" }),
      task(3, { status: "todo", priority: "high", title: "Ship later" }),
    ];
    const asked = fakeGateway(tasks);
    await showTasks();
    expect([...select("Status").options].map((o) => o.textContent)).toEqual(["Any", "Todo", "In progress", "Done", "Cancelled"]);
    expect([...select("Priority").options].map((o) => o.textContent)).toEqual(["Any", "Urgent", "High", "Medium", "Low"]);

    await choose(select("Status"), "done");
    expect(titles()).toEqual(["Ship the release", "Ship stickers"]);
    await choose(select("Priority"), "high");
    expect(titles()).toEqual(["Ship the release"]);
    expect(asked.at(-1)!.query).toEqual({ limit: String(TASK_PAGE_SIZE), sort: "-updated", status: ["done"], priority: ["high"] });

    await choose(select("Status"), "");
    await type("  later ");
    await act(async () => search().dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true })));
    await settled();
    // The title filter is sent trimmed.
    expect(asked.at(-1)!.query).toEqual({ limit: String(TASK_PAGE_SIZE), sort: "-updated", priority: ["high"], q: "later" });
    expect(titles()).toEqual(["Ship later"]);
  });

  it("takes the title filter when the field is left, but asks nothing when it did not change", async () => {
    const asked = fakeGateway([task(1, { title: "Alpha" }), task(2, { title: "Beta" })]);
    await showTasks();
    await type("bet");
    await act(async () => search().dispatchEvent(new FocusEvent("focusout", { bubbles: true })));
    await settled();
    expect(titles()).toEqual(["Beta"]);
    const count = asked.length;
    await act(async () => search().dispatchEvent(new FocusEvent("focusout", { bubbles: true })));
    await settled();
    expect(asked).toHaveLength(count);
  });

  it("stays on the page when its filters are submitted (Enter in a field)", async () => {
    fakeGateway([]);
    await showTasks();
    const submit = new Event("submit", { bubbles: true, cancelable: true });
    await act(async () => container.querySelector("form[role=search]")!.dispatchEvent(submit));
    expect(submit.defaultPrevented).toBe(true);
  });

  it("says when no task matches, without an empty table", async () => {
    fakeGateway([task(1, { status: "todo" })]);
    await showTasks();
    await choose(select("Status"), "cancelled");
    expect(container.querySelector(".empty")!.textContent).toBe("No tasks match these filters.");
    expect(container.querySelector("table")).toBeNull();
  });

  it("pages forward with the cursor given and back with the one before, and starts again on a new filter", async () => {
    const tasks = Array.from({ length: 2 * TASK_PAGE_SIZE + 5 }, (_, n) => task(n));
    const asked = fakeGateway(tasks);
    await showTasks();
    expect(pageLabel()).toBe("Page 1");
    expect(button("Previous").disabled).toBe(true);
    expect(titles()).toHaveLength(TASK_PAGE_SIZE);

    await click(button("Next"));
    await click(button("Next"));
    expect(pageLabel()).toBe("Page 3");
    expect(titles()).toEqual(["Task 40", "Task 41", "Task 42", "Task 43", "Task 44"]);
    expect(button("Next").disabled).toBe(true);
    expect(asked.map((a) => a.query.cursor)).toEqual([undefined, "20", "40"]);

    await click(button("Previous"));
    expect(pageLabel()).toBe("Page 2");
    expect(titles()[0]).toBe("Task 20");
    expect(asked.at(-1)!.query.cursor).toBe("20");

    await choose(select("Priority"), "medium");
    expect(pageLabel()).toBe("Page 1");
    expect(asked.at(-1)!.query.cursor).toBeUndefined();
  });

  it("moves to another project from its own filter, from the first page", async () => {
    const asked = fakeGateway([...Array.from({ length: 25 }, (_, n) => task(n)), task(99, { project_id: ZEUS.id })]);
    await showTasks();
    await click(button("Next"));
    await choose(select("Project"), ZEUS.id);
    expect(asked.at(-1)).toEqual({ project: ZEUS.id, query: { limit: String(TASK_PAGE_SIZE), sort: "-updated" } });
    expect(titles()).toEqual(["Task 99"]);
    expect(pageLabel()).toBe("Page 1");
  });

  it("asks again, same page and filters, when the dashboard says something changed", async () => {
    const tasks = [task(1, { status: "done" })];
    const asked = fakeGateway(tasks);
    await showTasks();
    await choose(select("Status"), "done");
    tasks.push(task(2, { status: "done" }));
    await showTasks("", 1);
    expect(asked.at(-1)!.query.status).toEqual(["done"]);
    expect(titles()).toEqual(["Task 1", "Task 2"]);
  });

  it("drops a page still loading when the filter changes, with no error for it", async () => {
    // As a browser does, the abandoned request fails with an AbortError.
    const pending: { status: string | null; resolve: (response: Response) => void }[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(
        (request: Request) =>
          new Promise<Response>((resolve, reject) => {
            pending.push({ status: new URL(request.url).searchParams.get("status"), resolve });
            request.signal.addEventListener("abort", () => reject(new DOMException("The operation was aborted.", "AbortError")));
          }),
      ),
    );
    await showTasks();
    await choose(select("Status"), "done");
    await act(async () => pending[1].resolve(Response.json({ items: [task(2, { status: "done" })], next: null })));
    await settled();
    expect(pending.map((p) => p.status)).toEqual([null, "done"]);
    expect(titles()).toEqual(["Task 2"]);
    expect(container.querySelector("[role=alert]")).toBeNull();
  });

  it("shows the API's reason when the tasks are refused", async () => {
    fakeGateway([], () => errorAnswer(403, "FORBIDDEN", "You are not a member of this project."));
    await showTasks();
    expect(container.querySelector("[role=alert]")!.textContent).toBe("You are not a member of this project.");
    expect(container.querySelector("table")).toBeNull();
    expect(container.querySelector("[role=status]")).toBeNull();
  });

  it("says the tasks could not be loaded when the gateway cannot be reached", async () => {
    fakeGateway([], () => Promise.reject(new TypeError("Failed to fetch")));
    await showTasks();
    expect(container.querySelector("[role=alert]")!.textContent).toBe("The tasks could not be loaded.");
  });
});
