/**
 * @platform/sdk: what the shell gives every fragment. A fragment's entry module exports
 * `mount(element, context)` and returns its unmount function; the shell loads React,
 * React DOM and this module once through the import map, so fragments keep them external.
 */
import type { ReactNode } from "react";
import { createRoot } from "react-dom/client";
import type { EventBus } from "./events";

export { createEventBus, SHELL_EVENTS } from "./events";
export type { EventBus, Listener } from "./events";
export { ApiError, createApiClient, errorFromResponse } from "./api";
export type { ApiClient, RequestOptions, TokenSource } from "./api";
export { EventStreamParser, readEventStream } from "./sse";
export type { EventStreamOptions, ServerEvent } from "./sse";
export type { Manifest, ManifestFragment, ManifestStylesheet, Nav as ManifestNav } from "./manifest";

/** The fragment contract version this SDK implements (the manifest's "contract"). */
export const CONTRACT_VERSION = "1";

export interface PlatformUser {
  id: string;
  email: string | null;
  roles: string[];
}

export interface FragmentContext {
  /** The fragment's registry name and the version the shell loaded. */
  name: string;
  version: string;
  /** The path prefix of the fragment's routes, e.g. "/dashboard" for "/dashboard/*". */
  basePath: string;
  user: PlatformUser | null;
  /** A valid access token, renewed by the shell when it is about to expire. */
  getToken(): Promise<string>;
  /** Client-side navigation within the whole app (no page load). */
  navigate(path: string): void;
  /** Shared with the shell and the other fragments on the page. */
  events: EventBus;
  /** Hands an error the fragment cannot handle to the shell, which shows its error card. */
  reportError(error: unknown): void;
}

export type Unmount = () => void;
export type MountFunction = (element: HTMLElement, context: FragmentContext) => Unmount | Promise<Unmount>;

export interface FragmentModule {
  mount: MountFunction;
}

/** Renders a React tree as a fragment; render errors nobody catches go to the shell's error card. */
export function renderFragment(element: HTMLElement, context: FragmentContext, node: ReactNode): Unmount {
  const root = createRoot(element, { onUncaughtError: (error) => context.reportError(error) });
  root.render(node);
  return () => root.unmount();
}

/** True when the user holds `role` (admins hold every role). */
export function hasRole(user: PlatformUser | null, role: string): boolean {
  return !!user && (user.roles.includes(role) || user.roles.includes("admin"));
}
