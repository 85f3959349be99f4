import { useEffect } from "react";

/** Names the page in the tab and for screen readers, which read the title after a navigation. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Platform`;
  }, [title]);
}
