import { renderFragment, type FragmentContext } from "@platform/sdk";
import { Admin } from "./Admin";
import css from "./styles.css?inline";

/** The fragment contract: render into `element` (inside the shell's shadow root), return unmount. */
export function mount(element: HTMLElement, context: FragmentContext): () => void {
  return renderFragment(
    element,
    context,
    <>
      <style>{css}</style>
      <Admin context={context} />
    </>,
  );
}
