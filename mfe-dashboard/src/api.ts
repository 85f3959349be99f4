/** Every request the dashboard makes, in one place. */
import { createApiClient, readEventStream, type FragmentContext, type ServerEvent } from "@platform/sdk";

const CORE = "/api/core";

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

export function createDashboardApi(context: Pick<FragmentContext, "getToken">) {
  const client = createApiClient(context);
  return {
    async projects(): Promise<Project[]> {
      return (await client.request<Page<Project>>(`${CORE}/projects`, { query: { limit: 200 } })).items;
    },
    stats(filter: StatsFilter, signal?: AbortSignal): Promise<Stats> {
      return client.request<Stats>(`${CORE}/stats`, { query: { project: filter.project, from: filter.from, to: filter.to }, signal });
    },
    tasks(project: string, filter: TaskFilter, cursor: string | null, signal?: AbortSignal): Promise<Page<Task>> {
      const query = { limit: 20, sort: "-updated", status: filter.status, priority: filter.priority, q: filter.q.trim(), cursor };
      return client.request<Page<Task>>(`${CORE}/projects/${encodeURIComponent(project)}/tasks`, { query, signal });
    },
    /** Live changes until `signal` aborts (fetch-based SSE, so the token goes in a header). */
    events(onEvent: (event: ServerEvent) => void, onStatus: (status: "connecting" | "open" | "reconnecting") => void, signal: AbortSignal): Promise<void> {
      return readEventStream(`${CORE}/events`, { getToken: context.getToken, onEvent, onStatus, signal });
    },
  };
}

export type DashboardApi = ReturnType<typeof createDashboardApi>;
