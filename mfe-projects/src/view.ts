/**
 * What a project page shows, read from and written to its URL (so a view can be linked and
 * survives a reload): `?view=board|list|members` and the list's filters and sort. Sorting
 * and filtering run on the tasks held in the browser, never as another request.
 */
import { PRIORITIES, STATUSES, type Priority, type Task, type TaskStatus } from "./types";

export const VIEWS = ["board", "list", "members"] as const;
export type View = (typeof VIEWS)[number];
export const DUE_FILTERS = ["overdue", "week", "none"] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];
export const SORT_FIELDS = ["title", "status", "priority", "due", "updated", "created"] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface Sort {
  field: SortField;
  descending: boolean;
}

export interface TaskFilters {
  status: TaskStatus | "";
  assignee: string;
  label: string;
  priority: Priority | "";
  due: DueFilter | "";
  q: string;
}

export interface ViewState {
  view: View;
  filters: TaskFilters;
  sort: Sort;
}

export const NO_FILTERS: TaskFilters = { status: "", assignee: "", label: "", priority: "", due: "", q: "" };
export const DEFAULT_SORT: Sort = { field: "updated", descending: true };
/** The assignee filter's value for tasks nobody holds. */
export const UNASSIGNED = "none";

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | "" {
  return allowed.includes(value as T) ? (value as T) : "";
}

export function parseView(search: string): ViewState {
  const params = new URLSearchParams(search);
  const sortText = params.get("sort") ?? "";
  const field = oneOf(sortText.replace(/^-/, ""), SORT_FIELDS);
  return {
    view: oneOf(params.get("view"), VIEWS) || "board",
    filters: {
      status: oneOf(params.get("status"), STATUSES),
      assignee: params.get("assignee") ?? "",
      label: params.get("label") ?? "",
      priority: oneOf(params.get("priority"), PRIORITIES),
      due: oneOf(params.get("due"), DUE_FILTERS),
      q: params.get("q") ?? "",
    },
    sort: field ? { field, descending: sortText.startsWith("-") } : DEFAULT_SORT,
  };
}

/** The query string for a state, leaving out defaults ("" for the default board view). */
export function formatView(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.view !== "board") params.set("view", state.view);
  for (const [name, value] of Object.entries(state.filters)) if (value) params.set(name, value);
  const { field, descending } = state.sort;
  if (field !== DEFAULT_SORT.field || descending !== DEFAULT_SORT.descending) params.set("sort", `${descending ? "-" : ""}${field}`);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function hasFilters(filters: TaskFilters): boolean {
  return Object.values(filters).some(Boolean);
}

/** The tasks the filters admit. `today` is a calendar day, "2025-03-14". */
export function filterTasks(tasks: Task[], filters: TaskFilters, today: string): Task[] {
  const text = filters.q.trim().toLowerCase();
  const weekEnd = addDays(today, 7);
  return tasks.filter(
    (task) =>
      (!filters.status || task.status === filters.status) &&
      (!filters.priority || task.priority === filters.priority) &&
      (!filters.assignee || (filters.assignee === UNASSIGNED ? task.assignee === null : task.assignee === filters.assignee)) &&
      (!filters.label || task.labels.includes(filters.label)) &&
      (!filters.due || dueMatches(task, filters.due, today, weekEnd)) &&
      (!text || task.title.toLowerCase().includes(text) || task.description.toLowerCase().includes(text)),
  );
}

function dueMatches(task: Task, due: DueFilter, today: string, weekEnd: string): boolean {
  if (due === "none") return task.due === null;
  if (task.due === null) return false;
  const open = task.status === "todo" || task.status === "in_progress";
  return due === "overdue" ? open && task.due < today : task.due >= today && task.due <= weekEnd;
}

const PRIORITY_RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2, urgent: 3 };
const STATUS_RANK: Record<TaskStatus, number> = { todo: 0, in_progress: 1, done: 2, cancelled: 3 };

function compareBy(field: SortField): (a: Task, b: Task) => number {
  switch (field) {
    case "title":
      return (a, b) => a.title.localeCompare(b.title);
    case "status":
      return (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status];
    case "priority":
      return (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
    case "due":
      // Tasks without a due date come last either way round.
      return (a, b) => (a.due ?? "\uffff").localeCompare(b.due ?? "\uffff");
    case "created":
      return (a, b) => a.created_at.localeCompare(b.created_at);
    case "updated":
      return (a, b) => a.updated_at.localeCompare(b.updated_at);
  }
}

/** A sorted copy; ties keep the newest first so the order is stable across live updates. */
export function sortTasks(tasks: Task[], sort: Sort): Task[] {
  const compare = compareBy(sort.field);
  const sign = sort.descending ? -1 : 1;
  return [...tasks].sort((a, b) => {
    if (sort.field === "due" && (a.due === null) !== (b.due === null)) return a.due === null ? 1 : -1;
    return sign * compare(a, b) || b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id);
  });
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
