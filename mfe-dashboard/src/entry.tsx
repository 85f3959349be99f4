import { renderFragment, type FragmentContext } from "@platform/sdk";
import uplotCss from "uplot/dist/uPlot.min.css?inline";
import { Dashboard } from "./Dashboard";
import css from "./styles.css?inline";

/** The fragment contract: render into `element` (inside the shell's shadow root), return unmount. */
export function mount(element: HTMLElement, context: FragmentContext): () => void {
  return renderFragment(
    element,
    context,
    <>
      <style>{uplotCss + css}</style>
      <Dashboard context={context} />
    </>,
  );
}
