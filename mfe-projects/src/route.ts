import { SHELL_EVENTS, type FragmentContext } from "@platform/sdk";
import { useEffect, useState } from "react";

export type Route = { page: "projects" } | { page: "project"; projectId: string; taskId: string | null } | { page: "unknown" };

/** `/projects`, `/projects/{id}` and `/projects/{id}/tasks/{taskId}` (the task's detail panel). */
export function parseRoute(pathname: string, basePath: string): Route {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : null;
  if (rest === null) return { page: "unknown" };
  const parts = rest.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: "projects" };
  if (parts.length === 1) return { page: "project", projectId: parts[0], taskId: null };
  if (parts.length === 3 && parts[1] === "tasks") return { page: "project", projectId: parts[0], taskId: parts[2] };
  return { page: "unknown" };
}

export function projectPath(basePath: string, projectId: string, taskId?: string): string {
  const project = `${basePath}/${encodeURIComponent(projectId)}`;
  return taskId ? `${project}/tasks/${encodeURIComponent(taskId)}` : project;
}

/** The page's path and query, following the shell's navigation. */
export function useLocation(context: FragmentContext): { pathname: string; search: string } {
  const [where, setWhere] = useState({ pathname: location.pathname, search: location.search });
  useEffect(() => context.events.subscribe<{ pathname: string; search: string }>(SHELL_EVENTS.routeChanged, setWhere), [context]);
  return where;
}

/**
 * Rewrites the query of the current entry (filters, search text) without a history entry
 * per keystroke; the fragment holds the state itself, so the shell need not be told.
 */
export function replaceSearch(search: string): void {
  const url = `${location.pathname}${search}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(history.state, "", url);
}
