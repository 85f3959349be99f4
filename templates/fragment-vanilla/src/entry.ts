// A framework-free fragment: only the SDK's types are imported, so the entry loads nothing.
import type { FragmentContext, Unmount } from "@platform/sdk";
import { renderPage } from "./page";
import "./styles.css";

/** The fragment contract: render into `element` (inside the shell's shadow root), return unmount. */
export function mount(element: HTMLElement, context: FragmentContext): Unmount {
  element.replaceChildren(renderPage(context));
  return () => element.replaceChildren();
}
