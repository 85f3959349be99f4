/** Client-side navigation on the History API: the whole router the shell needs. */
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of [...listeners]) listener();
}

window.addEventListener("popstate", notify);

export function navigate(path: string, { replace = false } = {}): void {
  if (path === `${location.pathname}${location.search}`) return;
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  notify();
}

export function subscribeLocation(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribeLocation, () => `${location.pathname}${location.search}`);
  const url = new URL(href, location.origin);
  return { pathname: url.pathname, search: url.search };
}
