import { useEffect, useState, type RefObject } from "react";

export interface Window {
  start: number;
  end: number;
  /** Space for the rows before `start` and after `end`, in px. */
  before: number;
  after: number;
}

/**
 * Which of `count` rows of `rowHeight` px a scroll container of `height` px scrolled to
 * `scrollTop` shows, with `overscan` rows either side so a fast scroll does not flash blank.
 */
export function windowOf(count: number, rowHeight: number, scrollTop: number, height: number, overscan = 4): Window {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { start, end: Math.max(start, end), before: start * rowHeight, after: Math.max(0, count - Math.max(start, end)) * rowHeight };
}

/** Before the container is laid out (or in a test without layout), assume a tall screen. */
const UNMEASURED_HEIGHT = 900;

/** Renders only the rows a scroll container shows: a board of 500 tasks stays a few dozen nodes. */
export function useWindow(count: number, rowHeight: number, container: RefObject<HTMLElement | null>): Window {
  const [scroll, setScroll] = useState({ top: 0, height: UNMEASURED_HEIGHT });
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => {
      const next = { top: element.scrollTop, height: element.clientHeight || UNMEASURED_HEIGHT };
      setScroll((held) => (held.top === next.top && held.height === next.height ? held : next));
    };
    element.addEventListener("scroll", measure, { passive: true });
    // Measured when the browser has laid the page out anyway (a resize observer's first call
    // comes after layout, a scroll after its own): reading the size right after a render
    // would force a layout of the whole page, once per column.
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
    if (observer) observer.observe(element);
    else measure();
    return () => {
      element.removeEventListener("scroll", measure);
      observer?.disconnect();
    };
  }, [container]);
  return windowOf(count, rowHeight, scroll.top, scroll.height);
}
