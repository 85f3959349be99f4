/** The core-api's JSON, as this fragment (and the Members panel) reads it. */
export type ProjectRole = "owner" | "editor" | "viewer";

export interface Member {
  user_id: string;
  role: ProjectRole;
}

export interface ProjectOut {
  id: string;
  name: string;
  key: string;
  description: string;
  members: Member[];
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export const STATUSES = ["todo", "in_progress", "done", "cancelled"] as const;
export type TaskStatus = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<TaskStatus, string> = { todo: "To do", in_progress: "In progress", done: "Done", cancelled: "Cancelled" };

export const PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Task {
  id: string;
  project_id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  assignee: string | null;
  labels: string[];
  /** A calendar day, "2025-03-14". */
  due: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: number;
}

/** The fields a person edits; what PATCH /tasks/{id} and POST .../tasks accept. */
export const EDITABLE = ["title", "description", "status", "priority", "assignee", "labels", "due"] as const;
export type EditableField = (typeof EDITABLE)[number];
export type TaskFields = Pick<Task, EditableField>;
export type TaskPatch = Partial<TaskFields>;

export interface Page<T> {
  items: T[];
  next: string | null;
}

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
