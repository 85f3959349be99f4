import { createRoot } from "react-dom/client";

export function mount(element: HTMLElement): () => void {
  const root = createRoot(element);
  root.render(<h2>Administration</h2>);
  return () => root.unmount();
}
