import { useLayoutEffect, useState, type RefObject } from "react";

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
  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => setScroll({ top: element.scrollTop, height: element.clientHeight || UNMEASURED_HEIGHT });
    measure();
    element.addEventListener("scroll", measure, { passive: true });
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
    observer?.observe(element);
    return () => {
      element.removeEventListener("scroll", measure);
      observer?.disconnect();
    };
  }, [container]);
  return windowOf(count, rowHeight, scroll.top, scroll.height);
}
