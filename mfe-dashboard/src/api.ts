/** Every request the dashboard makes, in one place. */
import { createApiClient, readEventStream, type ApiClient, type FragmentContext, type ServerEvent } from "@platform/sdk";

const CORE = "/api/core";
const AUTH = "/api/auth";
/** The auth service's directory answers at most this many ids per request. */
export const DIRECTORY_BATCH = 100;
const USER_ID = /^[0-9a-f]{24}$/;
/** Tasks per page of the task list (the panel keeps room for this many rows while loading). */
export const TASK_PAGE_SIZE = 20;

export interface Project {
  id: string;
  name: string;
  key: string;
}

export interface DayCount {
  day: string;
  created: number;
  completed: number;
}

export interface Stats {
  range_from: string;
  range_to: string;
  by_status: Record<string, number>;
  by_priority: Record<string, number>;
  open_by_assignee: Record<string, number>;
  per_day: DayCount[];
  median_cycle_time_s: number | null;
  completed_in_range: number;
  overdue: number;
}

export type TaskStatus = "todo" | "in_progress" | "done" | "cancelled";
export type Priority = "low" | "medium" | "high" | "urgent";

export interface Task {
  id: string;
  project_id: string;
  title: string;
  status: TaskStatus;
  priority: Priority;
  assignee: string | null;
  labels: string[];
  due: string | null;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface StatsFilter {
  project: string;
  from: string;
  to: string;
}

export interface TaskFilter {
  status: string;
  priority: string;
  q: string;
}

interface DirectoryEntry {
  id: string;
  display_name: string;
}

/**
 * Display names for user ids from the auth service's directory, cached for the fragment's
 * life: each call asks once (per 100) for the ids not yet asked for, and concurrent calls
 * share a request in flight. Ids the directory does not know (a deleted user) are remembered
 * as nameless; a failed request is forgotten, so the next call asks again. Never rejects: the
 * answer holds the names it could find.
 */
export function createNameDirectory(client: ApiClient): (ids: Iterable<string>) => Promise<Map<string, string>> {
  const lookups = new Map<string, Promise<string | undefined>>();

  const ask = (batch: string[]) => {
    const answer = client.request<DirectoryEntry[]>(`${AUTH}/users/directory`, { query: { ids: batch.join(",") } }).then((entries) => new Map(entries.map((e) => [e.id, e.display_name])));
    for (const id of batch) {
      const name = answer.then(
        (names) => names.get(id),
        () => {
          lookups.delete(id);
          return undefined;
        },
      );
      lookups.set(id, name);
    }
  };

  return async (ids) => {
    const wanted = [...new Set(ids)].filter((id) => USER_ID.test(id));
    const unasked = wanted.filter((id) => !lookups.has(id));
    for (let start = 0; start < unasked.length; start += DIRECTORY_BATCH) ask(unasked.slice(start, start + DIRECTORY_BATCH));
    const names = new Map<string, string>();
    for (const id of wanted) {
      const name = await lookups.get(id);
      if (name !== undefined) names.set(id, name);
    }
    return names;
  };
}

export function createDashboardApi(context: Pick<FragmentContext, "getToken">) {
  const client = createApiClient(context);
  return {
    /** Names for user ids (the assignees), see createNameDirectory. */
    names: createNameDirectory(client),
    async projects(): Promise<Project[]> {
      return (await client.request<Page<Project>>(`${CORE}/projects`, { query: { limit: 200 } })).items;
    },
    stats(filter: StatsFilter, signal?: AbortSignal): Promise<Stats> {
      return client.request<Stats>(`${CORE}/stats`, { query: { project: filter.project, from: filter.from, to: filter.to }, signal });
    },
    tasks(project: string, filter: TaskFilter, cursor: string | null, signal?: AbortSignal): Promise<Page<Task>> {
      const query = { limit: TASK_PAGE_SIZE, sort: "-updated", status: filter.status, priority: filter.priority, q: filter.q.trim(), cursor };
      return client.request<Page<Task>>(`${CORE}/projects/${encodeURIComponent(project)}/tasks`, { query, signal });
    },
    /** Live changes until `signal` aborts (fetch-based SSE, so the token goes in a header). */
    events(onEvent: (event: ServerEvent) => void, onStatus: (status: "connecting" | "open" | "reconnecting") => void, signal: AbortSignal): Promise<void> {
      return readEventStream(`${CORE}/events`, { getToken: context.getToken, onEvent, onStatus, signal });
    },
  };
}

export type DashboardApi = ReturnType<typeof createDashboardApi>;
