/** Every request the projects fragment makes, in one place. */
import { createApiClient, readEventStream, type ApiClient, type FragmentContext, type ServerEvent } from "@platform/sdk";
import type { Page, ProjectOut, Task, TaskFields, TaskPatch, TaskStatus } from "./types";

const CORE = "/api/core";
const AUTH = "/api/auth";
/** The auth service's directory answers at most this many ids per request. */
export const DIRECTORY_BATCH = 100;
/** Tasks per request while loading a project (the core-api's largest page). */
export const TASK_PAGE = 200;
export const PROJECT_PAGE = 20;
const USER_ID = /^[0-9a-f]{24}$/;

/** The ETag of a version, as the core-api writes it. */
export const ifMatch = (version: number) => ({ "If-Match": `"${version}"` });

interface DirectoryEntry {
  id: string;
  display_name: string;
}

/**
 * Display names for user ids from the auth service's directory, cached for the fragment's
 * life, the way the dashboard does it (mfe-dashboard/src/api.ts): each call asks once (per
 * 100) for the ids not yet asked for, concurrent calls share a request in flight, a failed
 * request is forgotten so the next call asks again. Never rejects.
 */
export function createNameDirectory(client: ApiClient): (ids: Iterable<string>) => Promise<Map<string, string>> {
  const lookups = new Map<string, Promise<string | undefined>>();

  const ask = (batch: string[]) => {
    const answer = client
      .request<DirectoryEntry[]>(`${AUTH}/users/directory`, { query: { ids: batch.join(",") } })
      .then((entries) => new Map(entries.map((e) => [e.id, e.display_name])));
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

export type ProjectDraft = Pick<ProjectOut, "name" | "key" | "description">;

export function createProjectsApi(context: Pick<FragmentContext, "getToken">, fetchImpl?: typeof fetch) {
  const client = createApiClient(context, fetchImpl);
  const project = (id: string) => `${CORE}/projects/${encodeURIComponent(id)}`;
  const task = (id: string) => `${CORE}/tasks/${encodeURIComponent(id)}`;
  return {
    client,
    names: createNameDirectory(client),
    projects(q: string, cursor: string | null, signal?: AbortSignal): Promise<Page<ProjectOut>> {
      return client.request(`${CORE}/projects`, { query: { limit: PROJECT_PAGE, q: q.trim(), cursor }, signal });
    },
    project(id: string, signal?: AbortSignal): Promise<ProjectOut> {
      return client.request(project(id), { signal });
    },
    createProject(draft: ProjectDraft): Promise<ProjectOut> {
      return client.request(`${CORE}/projects`, { method: "POST", body: draft });
    },
    updateProject(current: ProjectOut, patch: Partial<Pick<ProjectOut, "name" | "description">>): Promise<ProjectOut> {
      return client.request(project(current.id), { method: "PATCH", body: patch, headers: ifMatch(current.version) });
    },
    deleteProject(current: ProjectOut): Promise<void> {
      return client.request(project(current.id), { method: "DELETE", headers: ifMatch(current.version) });
    },
    /** Every task of a project, following `next` a page of 200 at a time. */
    async allTasks(projectId: string, signal?: AbortSignal): Promise<Task[]> {
      const tasks: Task[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Task> = await client.request(`${project(projectId)}/tasks`, { query: { limit: TASK_PAGE, sort: "created", cursor }, signal });
        tasks.push(...page.items);
        cursor = page.next;
      } while (cursor);
      return tasks;
    },
    task(id: string): Promise<Task> {
      return client.request(task(id));
    },
    createTask(projectId: string, fields: Partial<TaskFields> & { title: string }): Promise<Task> {
      return client.request(`${project(projectId)}/tasks`, { method: "POST", body: fields });
    },
    updateTask(id: string, version: number, patch: TaskPatch): Promise<Task> {
      return client.request(task(id), { method: "PATCH", body: patch, headers: ifMatch(version) });
    },
    deleteTask(id: string, version: number): Promise<void> {
      return client.request(task(id), { method: "DELETE", headers: ifMatch(version) });
    },
    /** One status for several tasks, each checked against the version shown (all or nothing). */
    bulkStatus(projectId: string, tasks: Pick<Task, "id" | "version">[], status: TaskStatus): Promise<{ updated: number; unchanged: number }> {
      const expected_versions = Object.fromEntries(tasks.map((t) => [t.id, t.version]));
      return client.request(`${project(projectId)}/tasks:bulk`, { method: "POST", body: { ids: tasks.map((t) => t.id), status, expected_versions } });
    },
    /** A project's live changes until `signal` aborts (fetch-based SSE: the token goes in a header). */
    events(projectId: string, onEvent: (event: ServerEvent) => void, onStatus: (status: LiveState) => void, signal: AbortSignal): Promise<void> {
      return readEventStream(`${CORE}/events?project_id=${encodeURIComponent(projectId)}`, { getToken: context.getToken, onEvent, onStatus, signal });
    },
  };
}

export type LiveState = "connecting" | "open" | "reconnecting";
export type ProjectsApi = ReturnType<typeof createProjectsApi>;

/** The `data` of a core-api event: the changed resource (the stream wraps it with id, type, time). */
export function eventData(event: ServerEvent): unknown {
  try {
    return (JSON.parse(event.data) as { data?: unknown }).data;
  } catch {
    return undefined;
  }
}
