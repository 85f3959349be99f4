// @vitest-environment happy-dom
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorAnswer, received } from "@platform/api-client/testing";
import type { Project, Stats, TaskPage } from "./api";
import { Dashboard, HEADING } from "./Dashboard";

/** uPlot draws on a canvas happy-dom has not got: a stand-in that keeps what it was asked to draw. */
const plots = vi.hoisted(() => [] as { options: { series: { label?: string }[] }; data: number[][]; destroyed: boolean }[]);
vi.mock("uplot", () => ({
  default: class FakePlot {
    static tzDate = (date: Date) => date;
    private readonly entry;
    constructor(options: { series: { label?: string }[] }, data: number[][]) {
      this.entry = { options, data, destroyed: false };
      plots.push(this.entry);
    }
    setSize() {}
    destroy() {
      this.entry.destroyed = true;
    }
  },
}));

const id = (n: number) => n.toString(16).padStart(24, "0");
const ME = id(1);
const ANN = id(2);
const BO = id(3);
/** Thursday; its week started on Monday 2026-03-09. */
const NOW = new Date("2026-03-12T10:00:00Z");

const project = (n: number, name: string): Project => ({
  id: id(0x100 + n),
  name,
  key: name.slice(0, 3).toUpperCase(),
  description: "",
  members: [{ user_id: ME, role: "owner" }],
  version: 1,
  created_by: ME,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
} as Project);
const APOLLO = project(1, "Apollo");
const ZEUS = project(2, "Zeus");

const STATS: Stats = {
  projects: [APOLLO.id, ZEUS.id],
  range_from: "2026-02-11",
  range_to: "2026-03-12",
  by_status: { todo: 1200, in_progress: 34, done: 50, cancelled: 2 },
  by_priority: { high: 5, urgent: 1, medium: 20, low: 3 },
  open_by_assignee: { [ANN]: 12, [ME]: 20, [BO]: 3 },
  per_day: [
    { day: "2026-03-08", created: 4, completed: 7 },
    { day: "2026-03-09", created: 2, completed: 3 },
    { day: "2026-03-12", created: 1, completed: 2 },
  ],
  median_cycle_time_s: 36 * 3600,
  completed_in_range: 12,
  overdue: 4,
};
const NO_TASKS: Stats = { ...STATS, by_status: {}, by_priority: {}, open_by_assignee: {}, per_day: [], median_cycle_time_s: null, completed_in_range: 0, overdue: 0 };

type Answer = (query: URLSearchParams) => Response | Promise<Response>;

/**
 * The gateway: `projects`, `stats` answering /stats (STATS by default), a directory knowing
 * Ann, a task list (empty pages) and an event stream the test writes to. Every /stats query
 * and every directory request is recorded.
 */
function fakeGateway({ projects = () => Response.json({ items: [APOLLO, ZEUS], next: null }), stats = () => Response.json(STATS), events }: { projects?: () => Response | Promise<Response>; stats?: Answer; events?: () => Response | Promise<Response> } = {}) {
  const statsAsked: URLSearchParams[] = [];
  const namesAsked: string[][] = [];
  const tasksAsked: URL[] = [];
  let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const { url } = await received(input, init);
      if (url.pathname === "/api/core/projects") return projects();
      if (url.pathname === "/api/core/stats") {
        statsAsked.push(url.searchParams);
        return stats(url.searchParams);
      }
      if (url.pathname === "/api/auth/users/directory") {
        const ids = url.searchParams.get("ids")!.split(",");
        namesAsked.push(ids);
        return Response.json(ids.filter((i) => i === ANN).map((i) => ({ id: i, display_name: "Ann Lee" })));
      }
      if (url.pathname.endsWith("/tasks")) {
        tasksAsked.push(url);
        return Response.json({ items: [], next: null } satisfies TaskPage);
      }
      if (url.pathname === "/api/core/events") {
        if (events) return events();
        return new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) }), { headers: { "Content-Type": "text/event-stream" } });
      }
      return errorAnswer(404, "NOT_FOUND", "Not found");
    }),
  );
  const send = (type: string) => stream!.enqueue(new TextEncoder().encode(`event: ${type}\ndata: {}\n\n`));
  return { statsAsked, namesAsked, tasksAsked, send };
}

let container: HTMLElement;
let root: Root;
let navigate: ReturnType<typeof vi.fn<(path: string) => void>>;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  plots.length = 0;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  navigate = vi.fn<(path: string) => void>();
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function settled() {
  for (let round = 0; round < 8; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** Longer than the half second the dashboard gathers live events for. */
async function afterBurst() {
  await act(async () => new Promise((resolve) => setTimeout(resolve, 600)));
  await settled();
}

async function showDashboard() {
  const context: FragmentContext = {
    name: "dashboard",
    version: "1.0.3",
    basePath: "/dashboard",
    user: { id: ME, email: "me@example.io", roles: ["member"] },
    getToken: async () => "token-1",
    navigate,
    events: createEventBus(),
    reportError: (error) => {
      throw error;
    },
  };
  await act(async () => root.render(<Dashboard context={context} />));
  await settled();
}

const tile = (name: string) => [...container.querySelectorAll(".kpi")].find((li) => li.querySelector(".kpi-name")!.textContent === name)!;
const tileValue = (name: string) => tile(name).querySelector(".kpi-value")!.textContent;
const tileValues = () => Object.fromEntries([...container.querySelectorAll(".kpi")].map((li) => [li.querySelector(".kpi-name")!.textContent, li.querySelector(".kpi-value")!.textContent]));
const breakdown = (title: string) => {
  const section = [...container.querySelectorAll("section.breakdown")].find((s) => s.querySelector("h2")!.textContent === title)!;
  return [...section.querySelectorAll("li")].map((li) => [li.querySelector(".bar-label")!.textContent, li.querySelector(".bar-value")!.textContent]);
};
const alerts = () => [...container.querySelectorAll(".dashboard > [role=alert]")].map((p) => p.textContent);
const alertText = () => alerts().join(" | ") || undefined;
const liveText = () => container.querySelector(".live")!.textContent!.replace("●", "").trim();
const empty = () => container.querySelector(".empty.panel");
const link = (text: string) => [...container.querySelectorAll("a")].find((a) => a.textContent === text)!;
const filterSelect = () => container.querySelector<HTMLSelectElement>("form.filters[aria-label='Dashboard filters'] select")!;
const dateInput = (name: string) => [...container.querySelectorAll("form.filters label")].find((l) => l.firstChild!.textContent!.trim() === name)!.querySelector("input")!;
const preset = (text: string) => [...container.querySelectorAll<HTMLButtonElement>(".presets button")].find((b) => b.textContent === text)!;

async function choose(select: HTMLSelectElement, value: string) {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await settled();
}

async function typeDate(input: HTMLInputElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await settled();
}

describe("the dashboard's key figures", () => {
  it("show what /stats answered for the last 30 days of all projects", async () => {
    const { statsAsked } = fakeGateway();
    await showDashboard();

    expect(container.querySelector("h1")!.textContent).toBe(HEADING);
    expect(statsAsked.map((q) => Object.fromEntries(q))).toEqual([{ from: "2026-02-11", to: "2026-03-12" }]);
    expect(tileValues()).toEqual({
      Open: "1,234",
      "In progress": "34",
      // Monday to today: the Sunday before does not count.
      "Done this week": "5",
      Overdue: "4",
      "Median cycle time": "1.5 d",
    });
    expect(tile("Overdue").className).toContain("warn");
    expect(tile("Open").className).not.toContain("warn");
    expect(container.querySelector(".kpis")!.getAttribute("aria-busy")).toBe("false");
    expect(container.querySelector("[role=status].visually-hidden")).toBeNull();
  });

  it("are placeholders announced as loading until /stats answers", async () => {
    let answer: (response: Response) => void = () => undefined;
    fakeGateway({ stats: () => new Promise<Response>((resolve) => (answer = resolve)) });
    await showDashboard();

    expect(container.querySelector("[role=status].visually-hidden")!.textContent).toBe("Loading figures…");
    expect(container.querySelector(".kpis")!.getAttribute("aria-busy")).toBe("true");
    expect(Object.values(tileValues())).toEqual(["…", "…", "…", "…", "…"]);
    expect(tile("Overdue").className).not.toContain("warn");
    // The task panel waits for the figures, so it never pushes them down.
    expect(container.querySelector("section.tasks")).toBeNull();

    await act(async () => answer(Response.json(STATS)));
    await settled();
    expect(tileValue("Open")).toBe("1,234");
    expect(container.querySelector("[role=status].visually-hidden")).toBeNull();
    expect(container.querySelector("section.tasks")).not.toBeNull();
  });

  it("show no overdue warning and a dash for the cycle time when nothing is overdue or completed", async () => {
    fakeGateway({ stats: () => Response.json({ ...STATS, overdue: 0, median_cycle_time_s: null }) });
    await showDashboard();
    expect(tileValue("Overdue")).toBe("0");
    expect(tile("Overdue").className).not.toContain("warn");
    expect(tileValue("Median cycle time")).toBe("–");
  });
});

describe("the dashboard's breakdowns", () => {
  it("list statuses and priorities in their fixed order and assignees by open tasks, with names", async () => {
    const { namesAsked } = fakeGateway();
    await showDashboard();

    expect(breakdown("By status")).toEqual([
      ["Todo", "1,200"],
      ["In progress", "34"],
      ["Done", "50"],
      ["Cancelled", "2"],
    ]);
    expect(breakdown("By priority")).toEqual([
      ["Urgent", "1"],
      ["High", "5"],
      ["Medium", "20"],
      ["Low", "3"],
    ]);
    expect(breakdown("Open tasks per assignee")).toEqual([
      ["You", "20"],
      ["Ann Lee", "12"],
      [`User …${BO.slice(-6)}`, "3"],
    ]);
    // The signed-in user is "You" without asking the directory.
    expect(namesAsked).toEqual([[ANN, BO]]);
  });

  it("scale each bar to the largest count of its panel", async () => {
    fakeGateway();
    await showDashboard();
    const section = [...container.querySelectorAll("section.breakdown")].find((s) => s.querySelector("h2")!.textContent === "By status")!;
    const widths = [...section.querySelectorAll<HTMLElement>(".bar > span")].map((bar) => bar.style.width);
    expect(widths).toEqual(["100%", "3%", "4%", "0%"]);
  });

  it("show the ten assignees with most open tasks and ask names for those only", async () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, n) => [id(0x200 + n), 100 - n]));
    const { namesAsked } = fakeGateway({ stats: () => Response.json({ ...STATS, open_by_assignee: many }) });
    await showDashboard();
    const rows = breakdown("Open tasks per assignee");
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual([`User …${id(0x200).slice(-6)}`, "100"]);
    expect(rows[9][1]).toBe("91");
    expect(namesAsked).toEqual([Array.from({ length: 10 }, (_, n) => id(0x200 + n))]);
  });

  it("say there is nothing to show when no task is open", async () => {
    fakeGateway({ stats: () => Response.json({ ...STATS, open_by_assignee: {} }) });
    await showDashboard();
    const section = [...container.querySelectorAll("section.breakdown")].find((s) => s.querySelector("h2")!.textContent === "Open tasks per assignee")!;
    expect(section.querySelector(".empty")!.textContent).toBe("Nothing to show.");
  });
});

describe("the created vs completed chart", () => {
  it("plots each day at its UTC midnight with the created and completed series, and says the totals", async () => {
    fakeGateway();
    await showDashboard();

    expect(plots).toHaveLength(1);
    const [{ options, data }] = plots;
    expect(options.series.map((s) => s.label)).toEqual(["Day", "Created", "Completed"]);
    expect(data).toEqual([[Date.UTC(2026, 2, 8) / 1000, Date.UTC(2026, 2, 9) / 1000, Date.UTC(2026, 2, 12) / 1000], [4, 2, 1], [7, 3, 2]]);
    expect(container.querySelector(".chart [role=img]")!.getAttribute("aria-label")).toBe("Line chart: 7 tasks created and 12 completed over 3 days");
  });

  it("is drawn anew for new figures, and the old one is taken down", async () => {
    let asked = 0;
    const { send } = fakeGateway({ stats: () => Response.json(asked++ === 0 ? STATS : { ...STATS, per_day: [{ day: "2026-03-12", created: 9, completed: 0 }] }) });
    await showDashboard();
    await act(async () => send("task.created"));
    await afterBurst();

    expect(plots).toHaveLength(2);
    expect(plots[0].destroyed).toBe(true);
    expect(plots[1].destroyed).toBe(false);
    expect(plots[1].data).toEqual([[Date.UTC(2026, 2, 12) / 1000], [9], [0]]);
    act(() => root.unmount());
    expect(plots[1].destroyed).toBe(true);
    root = createRoot(container);
  });
});

describe("an empty dashboard", () => {
  it("leads a user without projects to create one, through the shell", async () => {
    fakeGateway({ projects: () => Response.json({ items: [], next: null }), stats: () => Response.json(NO_TASKS) });
    await showDashboard();

    expect(empty()!.textContent).toContain("No tasks yet: your tasks and your team's show up here as soon as you have a project.");
    const create = link("Create your first project");
    expect(create.getAttribute("href")).toBe("/projects?new=1");
    // The zeros are still there, but no chart, breakdowns or task list.
    expect(tileValue("Open")).toBe("0");
    expect(container.querySelector(".chart")).toBeNull();
    expect(container.querySelector("section.breakdown")).toBeNull();
    expect(container.querySelector("section.tasks")).toBeNull();

    const click = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0 });
    await act(async () => create.dispatchEvent(click));
    expect(navigate).toHaveBeenCalledWith("/projects?new=1");
    expect(click.defaultPrevented).toBe(true);
  });

  it("leaves a modified click (a new tab) to the browser", async () => {
    fakeGateway({ projects: () => Response.json({ items: [], next: null }), stats: () => Response.json(NO_TASKS) });
    await showDashboard();
    for (const modifier of ["ctrlKey", "metaKey", "shiftKey", "altKey"]) {
      const click = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, [modifier]: true });
      await act(async () => link("Create your first project").dispatchEvent(click));
      expect(click.defaultPrevented).toBe(false);
    }
    const middle = new MouseEvent("click", { bubbles: true, cancelable: true, button: 1 });
    await act(async () => link("Create your first project").dispatchEvent(middle));
    expect(navigate).not.toHaveBeenCalled();
  });

  it("leads a user with projects but no tasks to the projects, or to the project chosen", async () => {
    fakeGateway({ stats: () => Response.json(NO_TASKS) });
    await showDashboard();
    expect(empty()!.textContent).toBe("No tasks yet in your projects. Add tasks to your projects");
    expect(link("Add tasks to your projects").getAttribute("href")).toBe("/projects");
    // The task list is still offered: it lists the projects' tasks.
    expect(container.querySelector("section.tasks")).not.toBeNull();

    await choose(filterSelect(), ZEUS.id);
    expect(empty()!.textContent).toBe("No tasks yet in this project. Add a task to this project");
    const add = link("Add a task to this project");
    expect(add.getAttribute("href")).toBe(`/projects/${ZEUS.id}`);
    await act(async () => add.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, button: 0 })));
    expect(navigate).toHaveBeenCalledWith(`/projects/${ZEUS.id}`);
  });
});

describe("the dashboard's filters", () => {
  it("offer all projects and each project, and ask /stats and the task list for the one chosen", async () => {
    const { statsAsked, tasksAsked } = fakeGateway();
    await showDashboard();
    expect([...filterSelect().options].map((o) => [o.value, o.textContent])).toEqual([
      ["", "All projects"],
      [APOLLO.id, "Apollo"],
      [ZEUS.id, "Zeus"],
    ]);
    // With all projects, the task list starts on the first one.
    expect(tasksAsked.map((url) => url.pathname)).toEqual([`/api/core/projects/${APOLLO.id}/tasks`]);

    await choose(filterSelect(), ZEUS.id);
    expect(Object.fromEntries(statsAsked.at(-1)!)).toEqual({ project_id: ZEUS.id, from: "2026-02-11", to: "2026-03-12" });
    expect(tasksAsked.at(-1)!.pathname).toBe(`/api/core/projects/${ZEUS.id}/tasks`);
    expect(container.querySelector<HTMLSelectElement>("section.tasks select")!.value).toBe(ZEUS.id);

    await choose(filterSelect(), "");
    expect(statsAsked.at(-1)!.has("project_id")).toBe(false);
  });

  it("offer quick ranges ending today, the one in use pressed", async () => {
    const { statsAsked } = fakeGateway();
    await showDashboard();
    expect(["7 days", "30 days", "90 days"].map((text) => preset(text).getAttribute("aria-pressed"))).toEqual(["false", "true", "false"]);

    await act(async () => preset("7 days").click());
    await settled();
    expect(Object.fromEntries(statsAsked.at(-1)!)).toEqual({ from: "2026-03-06", to: "2026-03-12" });
    expect(["7 days", "30 days", "90 days"].map((text) => preset(text).getAttribute("aria-pressed"))).toEqual(["true", "false", "false"]);

    await act(async () => preset("90 days").click());
    await settled();
    expect(Object.fromEntries(statsAsked.at(-1)!)).toEqual({ from: "2025-12-13", to: "2026-03-12" });
  });

  it("take a typed date range, never past today, and ignore a cleared date", async () => {
    const { statsAsked } = fakeGateway();
    await showDashboard();
    expect(dateInput("To").max).toBe("2026-03-12");
    expect(dateInput("From").max).toBe("2026-03-12");

    await typeDate(dateInput("From"), "2026-01-01");
    expect(Object.fromEntries(statsAsked.at(-1)!)).toEqual({ from: "2026-01-01", to: "2026-03-12" });
    expect(dateInput("To").min).toBe("2026-01-01");
    // No quick range matches any more.
    expect([...container.querySelectorAll(".presets [aria-pressed=true]")]).toHaveLength(0);

    await typeDate(dateInput("To"), "2026-02-01");
    expect(Object.fromEntries(statsAsked.at(-1)!)).toEqual({ from: "2026-01-01", to: "2026-02-01" });
    expect(dateInput("From").max).toBe("2026-02-01");

    const asked = statsAsked.length;
    await typeDate(dateInput("From"), "");
    expect(statsAsked).toHaveLength(asked);
  });

  it("stay on the page when submitted (Enter in a field)", async () => {
    const { statsAsked } = fakeGateway();
    await showDashboard();
    const submit = new Event("submit", { bubbles: true, cancelable: true });
    await act(async () => container.querySelector("form.filters")!.dispatchEvent(submit));
    expect(submit.defaultPrevented).toBe(true);
    expect(statsAsked).toHaveLength(1);
  });

  it("show the figures of the last filter chosen, not a slower answer to an earlier one", async () => {
    const answers: ((response: Response) => void)[] = [];
    fakeGateway({ stats: () => new Promise<Response>((resolve) => answers.push(resolve)) });
    await showDashboard();
    await choose(filterSelect(), ZEUS.id);
    await act(async () => answers[1](Response.json({ ...STATS, by_status: { todo: 3 }, overdue: 1 })));
    await settled();
    await act(async () => answers[0](Response.json(STATS)));
    await settled();
    expect(tileValue("Open")).toBe("3");
    expect(tileValue("Overdue")).toBe("1");
  });
});

describe("errors", () => {
  it("say what the API said when /stats is refused", async () => {
    fakeGateway({ stats: () => errorAnswer(403, "FORBIDDEN", "You are not a member of this project.") });
    await showDashboard();
    expect(alertText()).toBe("You are not a member of this project.");
    expect(container.querySelector(".kpis")).toBeNull();
    expect(container.querySelector("[role=status].visually-hidden")).toBeNull();
  });

  it("ask to check the connection when /stats cannot be reached", async () => {
    fakeGateway({ stats: () => Promise.reject(new TypeError("Failed to fetch")) });
    await showDashboard();
    expect(alertText()).toBe("The figures could not be loaded. Check your connection.");
  });

  it("keep the figures shown when a refresh fails, and go once one succeeds", async () => {
    let asked = 0;
    const { send } = fakeGateway({
      stats: () => {
        asked += 1;
        if (asked === 2) return errorAnswer(503, "UPSTREAM_UNAVAILABLE", "The store is unavailable.");
        return Response.json(asked === 1 ? STATS : { ...STATS, overdue: 9 });
      },
    });
    await showDashboard();
    await act(async () => send("task.updated"));
    await afterBurst();
    expect(alertText()).toBe("The store is unavailable.");
    expect(tileValue("Overdue")).toBe("4");

    await act(async () => send("task.updated"));
    await afterBurst();
    expect(alertText()).toBeUndefined();
    expect(tileValue("Overdue")).toBe("9");
  });

  it("keep saying the projects could not be listed when the figures come after", async () => {
    let release: (response: Response) => void = () => undefined;
    fakeGateway({ projects: () => errorAnswer(503, "UPSTREAM_UNAVAILABLE", "Projects are unavailable."), stats: () => new Promise<Response>((resolve) => (release = resolve)) });
    await showDashboard();
    expect(alertText()).toBe("Projects are unavailable.");
    expect([...filterSelect().options].map((o) => o.textContent)).toEqual(["All projects"]);

    await act(async () => release(Response.json(NO_TASKS)));
    await settled();
    expect(tileValue("Open")).toBe("0");
    expect(alertText()).toBe("Projects are unavailable.");
    // Not knowing the projects, it does not tell the user to create a first one.
    expect(container.textContent).not.toContain("Create your first project");
    expect(empty()!.textContent).toBe("No tasks yet.");
  });

  it("say so when the projects cannot be reached, as well as what /stats said", async () => {
    fakeGateway({ projects: () => Promise.reject(new TypeError("Failed to fetch")), stats: () => errorAnswer(403, "FORBIDDEN", "Not allowed.") });
    await showDashboard();
    expect(alerts()).toEqual(["The projects could not be loaded. Check your connection.", "Not allowed."]);
  });
});

describe("live changes", () => {
  it("say the stream is connecting, then live", async () => {
    let open: (response: Response) => void = () => undefined;
    fakeGateway({ events: () => new Promise<Response>((resolve) => (open = resolve)) });
    await showDashboard();
    expect(liveText()).toBe("Connecting…");
    expect(container.querySelector(".live")!.getAttribute("role")).toBe("status");
    await act(async () => open(new Response(new ReadableStream<Uint8Array>(), { headers: { "Content-Type": "text/event-stream" } })));
    await settled();
    expect(liveText()).toBe("Live");
  });

  it("say the stream is reconnecting when it is refused", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    fakeGateway({ events: () => errorAnswer(503, "UNAVAILABLE", "Try later") });
    await showDashboard();
    expect(liveText()).toBe("Reconnecting…");
    expect(container.querySelector(".live")!.className).toContain("live-reconnecting");
  });

  it("refetch the figures once for a burst of task and project events, and show the new ones", async () => {
    let asked = 0;
    const { statsAsked, send, tasksAsked } = fakeGateway({ stats: () => Response.json(asked++ === 0 ? STATS : { ...STATS, by_status: { ...STATS.by_status, todo: 1201 }, overdue: 5 }) });
    await showDashboard();
    expect(liveText()).toBe("Live");
    expect(tileValue("Open")).toBe("1,234");

    await act(async () => {
      send("task.created");
      send("task.updated");
      send("project.updated");
    });
    await settled();
    // Gathered for half a second first.
    expect(statsAsked).toHaveLength(1);
    await afterBurst();
    expect(statsAsked).toHaveLength(2);
    expect(tileValue("Open")).toBe("1,235");
    expect(tileValue("Overdue")).toBe("5");
    // The task list is refreshed with the figures.
    expect(tasksAsked).toHaveLength(2);
  });

  it("keep refreshing while events never stop coming, at most twice a second", async () => {
    const { statsAsked, send } = fakeGateway();
    await showDashboard();
    // An event every 200 ms for 1.6 s: a wait for a quiet half second would never end.
    for (let tick = 0; tick < 8; tick++) {
      await act(async () => send("task.updated"));
      await act(async () => new Promise((resolve) => setTimeout(resolve, 200)));
    }
    await settled();
    expect(statsAsked.length).toBeGreaterThanOrEqual(3);
    expect(statsAsked.length).toBeLessThanOrEqual(5);
  });

  it("refetch after a stream reset, but not for events about other things", async () => {
    const { statsAsked, send } = fakeGateway();
    await showDashboard();
    await act(async () => {
      send("fragment.activated");
      send("user.updated");
    });
    await afterBurst();
    expect(statsAsked).toHaveLength(1);

    await act(async () => send("stream.reset"));
    await afterBurst();
    expect(statsAsked).toHaveLength(2);
  });
});
