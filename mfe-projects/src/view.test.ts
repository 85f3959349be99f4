import { describe, expect, it } from "vitest";
import type { Task } from "./types";
import { DEFAULT_SORT, filterTasks, formatView, NO_FILTERS, parseView, sortTasks, UNASSIGNED, type ViewState } from "./view";

const task = (id: string, fields: Partial<Task> = {}): Task => ({
  id,
  project_id: "p",
  title: `Task ${id}`,
  description: "",
  status: "todo",
  priority: "medium",
  assignee: null,
  labels: [],
  due: null,
  created_by: "u",
  created_at: `2025-03-0${id}T00:00:00Z`,
  updated_at: `2025-03-0${id}T00:00:00Z`,
  completed_at: null,
  version: 1,
  ...fields,
});

describe("the view in the URL", () => {
  it("round-trips view, every filter and the sort", () => {
    const state: ViewState = {
      view: "list",
      filters: { status: "in_progress", assignee: "abc", label: "ui & ux", priority: "high", due: "overdue", q: "login page" },
      sort: { field: "due", descending: false },
    };
    const search = formatView(state);
    expect(search).toBe("?view=list&status=in_progress&assignee=abc&label=ui+%26+ux&priority=high&due=overdue&q=login+page&sort=due");
    expect(parseView(search)).toEqual(state);
  });
  it("writes nothing for the defaults and reads the defaults from nothing", () => {
    const defaults: ViewState = { view: "board", filters: NO_FILTERS, sort: DEFAULT_SORT };
    expect(formatView(defaults)).toBe("");
    expect(parseView("")).toEqual(defaults);
  });
  it("ignores values it does not know", () => {
    expect(parseView("?view=grid&status=open&priority=max&sort=-size")).toEqual({ view: "board", filters: NO_FILTERS, sort: DEFAULT_SORT });
  });
});

describe("filterTasks", () => {
  const tasks = [
    task("1", { status: "done", assignee: "ann", labels: ["ui"], due: "2025-03-10" }),
    task("2", { priority: "urgent", due: "2025-03-12", description: "Fix the LOGIN form" }),
    task("3", { status: "in_progress", assignee: "bo", due: "2025-03-20" }),
  ];
  const ids = (filters: Partial<typeof NO_FILTERS>) => filterTasks(tasks, { ...NO_FILTERS, ...filters }, "2025-03-14").map((t) => t.id);

  it("applies each filter", () => {
    expect(ids({})).toEqual(["1", "2", "3"]);
    expect(ids({ status: "done" })).toEqual(["1"]);
    expect(ids({ assignee: "bo" })).toEqual(["3"]);
    expect(ids({ assignee: UNASSIGNED })).toEqual(["2"]);
    expect(ids({ label: "ui" })).toEqual(["1"]);
    expect(ids({ priority: "urgent" })).toEqual(["2"]);
    expect(ids({ q: "login" })).toEqual(["2"]);
  });
  it("counts only open tasks as overdue", () => {
    expect(ids({ due: "overdue" })).toEqual(["2"]);
    expect(ids({ due: "week" })).toEqual(["3"]);
  });
});

describe("sortTasks", () => {
  const tasks = [task("1", { due: null, priority: "low" }), task("2", { due: "2025-04-01", priority: "urgent" }), task("3", { due: "2025-03-20", priority: "low" })];
  it("sorts by a field either way, tasks without a due date last", () => {
    expect(sortTasks(tasks, { field: "due", descending: false }).map((t) => t.id)).toEqual(["3", "2", "1"]);
    expect(sortTasks(tasks, { field: "due", descending: true }).map((t) => t.id)).toEqual(["2", "3", "1"]);
    expect(sortTasks(tasks, { field: "priority", descending: true }).map((t) => t.id)).toEqual(["2", "3", "1"]);
  });
});
