import { renderFragment, type FragmentContext } from "@platform/sdk";
import { App } from "./App";
import "./styles.css";

/**
 * The fragment contract: render into `element` (inside the shell's shadow root), return unmount.
 * The CSS imported above is built into entry.css, which the shell links in the shadow root.
 */
export function mount(element: HTMLElement, context: FragmentContext): () => void {
  return renderFragment(element, context, <App context={context} />);
}
