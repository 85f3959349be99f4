/** The core-api's JSON, as the generated client (@platform/api-client) types it. */
import type { Schemas } from "@platform/api-client";

export type ProjectRole = Schemas["ProjectRole"];
export type Member = Schemas["MemberOut"];
export type ProjectOut = Schemas["ProjectOut"];
export type TaskStatus = Schemas["TaskStatus"];
export type Priority = Schemas["Priority"];
export type Task = Schemas["TaskOut"];

export const STATUSES = ["todo", "in_progress", "done", "cancelled"] as const satisfies readonly TaskStatus[];
export const STATUS_LABELS: Record<TaskStatus, string> = { todo: "To do", in_progress: "In progress", done: "Done", cancelled: "Cancelled" };

export const PRIORITIES = ["low", "medium", "high", "urgent"] as const satisfies readonly Priority[];

/** The fields a person edits; what PATCH /tasks/{id} and POST .../tasks accept. */
export const EDITABLE = ["title", "description", "status", "priority", "assignee", "labels", "due"] as const;
export type EditableField = (typeof EDITABLE)[number];
export type TaskFields = Pick<Task, EditableField>;
export type TaskPatch = Partial<TaskFields>;

/** Moves the core-api allows (services/core-api/core_api/tasks.py TRANSITIONS). */
export const TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  todo: ["in_progress", "done", "cancelled"],
  in_progress: ["todo", "done", "cancelled"],
  done: ["todo", "in_progress"],
  cancelled: ["todo"],
};

export function roleOf(project: ProjectOut, userId: string | undefined): ProjectRole | null {
  return project.members.find((m) => m.user_id === userId)?.role ?? null;
}
