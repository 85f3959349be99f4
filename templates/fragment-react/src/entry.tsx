import { renderFragment, type FragmentContext, type Unmount } from "@platform/sdk";
import { Page } from "./Page";
import "./styles.css";

/** The fragment contract: render into `element` (inside the shell's shadow root), return unmount. */
export function mount(element: HTMLElement, context: FragmentContext): Unmount {
  return renderFragment(element, context, <Page name={context.name} user={context.user} />);
}
