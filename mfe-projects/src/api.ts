/** Every request the projects fragment makes, in one place: the generated client (@platform/api-client). */
import { createPlatformClient, required, type Schemas } from "@platform/api-client";
import { readEventStream, type FragmentContext, type ServerEvent } from "@platform/sdk";
import type { ProjectOut, Task, TaskFields, TaskPatch, TaskStatus } from "./types";

const CORE = "/api/core";
/** The auth service's directory answers at most this many ids per request. */
export const DIRECTORY_BATCH = 100;
/** Tasks per request while loading a project (the core-api's largest page). */
export const TASK_PAGE = 200;
export const PROJECT_PAGE = 20;
const USER_ID = /^[0-9a-f]{24}$/;

/** The If-Match header of a version, as the core-api writes its ETag. */
export const ifMatch = (version: number) => ({ "If-Match": `"${version}"` });

/** The path and If-Match of a write to this version of the project (412 VERSION_MISMATCH when it changed since). */
export const projectAt = (project: Pick<ProjectOut, "id" | "version">) => ({ path: { project_id: project.id }, header: ifMatch(project.version) });

/** Asks the directory for the display names of up to DIRECTORY_BATCH user ids. */
export type DirectoryLookup = (ids: string[]) => Promise<Schemas["DirectoryEntry"][]>;

/**
 * Display names for user ids from the auth service's directory, cached for the fragment's
 * life, the way the dashboard does it (mfe-dashboard/src/api.ts): each call asks once (per
 * 100) for the ids not yet asked for, concurrent calls share a request in flight, a failed
 * request is forgotten so the next call asks again. Never rejects.
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

export type ProjectDraft = Pick<ProjectOut, "name" | "key" | "description">;

export function createProjectsApi(context: Pick<FragmentContext, "getToken">) {
  const client = createPlatformClient(context);
  const inProject = (project_id: string) => ({ path: { project_id } });
  const task = (task_id: string) => ({ path: { task_id } });
  /** A write to this version of the task only (412 VERSION_MISMATCH when it changed since). */
  const taskAt = (task_id: string, version: number) => ({ path: { task_id }, header: ifMatch(version) });
  return {
    client,
    names: createNameDirectory((ids) => required(client.GET("/api/auth/users/directory", { params: { query: { ids: ids.join(",") } } }))),
    projects(q: string, cursor: string | null, signal?: AbortSignal): Promise<Schemas["ProjectPage"]> {
      return required(client.GET("/api/core/projects", { params: { query: { limit: PROJECT_PAGE, q: q.trim() || undefined, cursor } }, signal }));
    },
    project(id: string, signal?: AbortSignal): Promise<ProjectOut> {
      return required(client.GET("/api/core/projects/{project_id}", { params: inProject(id), signal }));
    },
    createProject(draft: ProjectDraft): Promise<ProjectOut> {
      return required(client.POST("/api/core/projects", { body: draft }));
    },
    updateProject(current: ProjectOut, patch: Partial<Pick<ProjectOut, "name" | "description">>): Promise<ProjectOut> {
      return required(client.PATCH("/api/core/projects/{project_id}", { params: projectAt(current), body: patch }));
    },
    async deleteProject(current: ProjectOut): Promise<void> {
      await client.DELETE("/api/core/projects/{project_id}", { params: projectAt(current) });
    },
    /** Every task of a project, following `next` a page of 200 at a time. */
    async allTasks(projectId: string, signal?: AbortSignal): Promise<Task[]> {
      const tasks: Task[] = [];
      let cursor: string | null = null;
      do {
        const query = { limit: TASK_PAGE, sort: "created" as const, cursor };
        const page: Schemas["TaskPage"] = await required(client.GET("/api/core/projects/{project_id}/tasks", { params: { ...inProject(projectId), query }, signal }));
        tasks.push(...page.items);
        cursor = page.next;
      } while (cursor);
      return tasks;
    },
    task(id: string): Promise<Task> {
      return required(client.GET("/api/core/tasks/{task_id}", { params: task(id) }));
    },
    createTask(projectId: string, fields: TaskFields): Promise<Task> {
      return required(client.POST("/api/core/projects/{project_id}/tasks", { params: inProject(projectId), body: fields }));
    },
    updateTask(id: string, version: number, patch: TaskPatch): Promise<Task> {
      return required(client.PATCH("/api/core/tasks/{task_id}", { params: taskAt(id, version), body: patch }));
    },
    async deleteTask(id: string, version: number): Promise<void> {
      await client.DELETE("/api/core/tasks/{task_id}", { params: taskAt(id, version) });
    },
    /** One status for several tasks, each checked against the version shown (all or nothing). */
    bulkStatus(projectId: string, tasks: Pick<Task, "id" | "version">[], status: TaskStatus): Promise<Schemas["BulkResult"]> {
      const expected_versions = Object.fromEntries(tasks.map((t) => [t.id, t.version]));
      const body = { ids: tasks.map((t) => t.id), status, expected_versions };
      return required(client.POST("/api/core/projects/{project_id}/tasks:bulk", { params: inProject(projectId), body }));
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
