/** Every request the dashboard makes, in one place. */
import { createPlatformClient, required, type Schemas } from "@platform/api-client";
import { readEventStream, type FragmentContext, type ServerEvent } from "@platform/sdk";

const CORE = "/api/core";
/** The auth service's directory answers at most this many ids per request. */
export const DIRECTORY_BATCH = 100;
const USER_ID = /^[0-9a-f]{24}$/;
/** Tasks per page of the task list (the panel keeps room for this many rows while loading). */
export const TASK_PAGE_SIZE = 20;

export type Project = Schemas["ProjectOut"];
export type DayCount = Schemas["DayCount"];
export type Stats = Schemas["Stats"];
export type TaskStatus = Schemas["TaskStatus"];
export type Priority = Schemas["Priority"];
export type Task = Schemas["TaskOut"];
export type TaskPage = Schemas["TaskPage"];

export interface StatsFilter {
  project: string;
  from: string;
  to: string;
}

/** The task list's filters as its drop-downs hold them; "" is "any". */
export interface TaskFilter {
  status: string;
  priority: string;
  q: string;
}

/** Asks the directory for the display names of up to DIRECTORY_BATCH user ids. */
export type DirectoryLookup = (ids: string[]) => Promise<Schemas["DirectoryEntry"][]>;

/**
 * Display names for user ids from the auth service's directory, cached for the fragment's
 * life: each call asks once (per 100) for the ids not yet asked for, and concurrent calls
 * share a request in flight. Ids the directory does not know (a deleted user) are remembered
 * as nameless; a failed request is forgotten, so the next call asks again. Never rejects: the
 * answer holds the names it could find.
 */
export function createNameDirectory(lookup: DirectoryLookup): (ids: Iterable<string>) => Promise<Map<string, string>> {
  const lookups = new Map<string, Promise<string | undefined>>();

  const ask = (batch: string[]) => {
    const answer = lookup(batch).then((entries) => new Map(entries.map((e) => [e.id, e.display_name])));
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

/** Query values with the unset filters ("") left out. */
function given<T extends string>(value: T | ""): T | undefined {
  return value === "" ? undefined : value;
}

export function createDashboardApi(context: Pick<FragmentContext, "getToken">) {
  const client = createPlatformClient(context);
  const lookup: DirectoryLookup = (ids) => required(client.GET("/api/auth/users/directory", { params: { query: { ids: ids.join(",") } } }));
  return {
    /** Names for user ids (the assignees), see createNameDirectory. */
    names: createNameDirectory(lookup),
    async projects(): Promise<Project[]> {
      return (await required(client.GET("/api/core/projects", { params: { query: { limit: 200 } } }))).items;
    },
    stats(filter: StatsFilter, signal?: AbortSignal): Promise<Stats> {
      const query = { project_id: given(filter.project), from: given(filter.from), to: given(filter.to) };
      return required(client.GET("/api/core/stats", { params: { query }, signal }));
    },
    tasks(project: string, filter: TaskFilter, cursor: string | null, signal?: AbortSignal): Promise<TaskPage> {
      const status = given(filter.status as TaskStatus | "");
      const priority = given(filter.priority as Priority | "");
      const query = {
        limit: TASK_PAGE_SIZE,
        sort: "-updated" as const,
        status: status && [status],
        priority: priority && [priority],
        q: given(filter.q.trim()),
        cursor,
      };
      return required(client.GET("/api/core/projects/{project_id}/tasks", { params: { path: { project_id: project }, query }, signal }));
    },
    /** Live changes until `signal` aborts (fetch-based SSE, so the token goes in a header). */
    events(onEvent: (event: ServerEvent) => void, onStatus: (status: "connecting" | "open" | "reconnecting") => void, signal: AbortSignal): Promise<void> {
      return readEventStream(`${CORE}/events`, { getToken: context.getToken, onEvent, onStatus, signal });
    },
  };
}

export type DashboardApi = ReturnType<typeof createDashboardApi>;
