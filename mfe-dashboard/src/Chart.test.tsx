// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FlowChart } from "./Chart";

/** uPlot draws on a canvas happy-dom has not got: a stand-in that keeps what it is asked. */
const plots = vi.hoisted(
  () =>
    [] as {
      options: { width: number; height: number; tzDate: (ts: number) => unknown };
      sizes: { width: number; height: number }[];
      destroyed: boolean;
    }[],
);
vi.mock("uplot", () => ({
  default: class FakePlot {
    static tzDate = (date: Date, zone: string) => ({ date, zone });
    private readonly entry;
    constructor(options: (typeof plots)[number]["options"]) {
      this.entry = { options, sizes: [] as { width: number; height: number }[], destroyed: false };
      plots.push(this.entry);
    }
    setSize(size: { width: number; height: number }) {
      this.entry.sizes.push(size);
    }
    destroy() {
      this.entry.destroyed = true;
    }
  },
}));

/** A ResizeObserver the test triggers. */
const observers: { callback: () => void; observed: Element[]; disconnected: boolean }[] = [];
class FakeResizeObserver {
  private readonly entry;
  constructor(callback: () => void) {
    this.entry = { callback, observed: [] as Element[], disconnected: false };
    observers.push(this.entry);
  }
  observe(element: Element) {
    this.entry.observed.push(element);
  }
  disconnect() {
    this.entry.disconnected = true;
  }
}

let container: HTMLElement;
let root: Root;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  vi.stubGlobal("ResizeObserver", FakeResizeObserver);
  plots.length = 0;
  observers.length = 0;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

const DAYS = [
  { day: "2026-03-10", created: 3, completed: 1 },
  { day: "2026-03-11", created: 0, completed: 4 },
];

describe("the created vs completed chart", () => {
  it("labels its days in UTC, as the API counts them", async () => {
    await act(async () => root.render(<FlowChart days={DAYS} />));
    const { options } = plots[0];
    expect(options.tzDate(Date.UTC(2026, 2, 10) / 1000)).toEqual({ date: new Date("2026-03-10T00:00:00Z"), zone: "Etc/UTC" });
    expect(container.querySelector("figcaption")!.textContent).toBe("Tasks created (solid) and completed (dashed) per day, UTC.");
  });

  it("follows its panel's width, never narrower than a phone's panel, and stops when taken down", async () => {
    await act(async () => root.render(<FlowChart days={DAYS} />));
    const box = container.querySelector<HTMLElement>("[role=img]")!;
    // happy-dom lays nothing out (width 0): the chart keeps its smallest width.
    expect(plots[0].options).toMatchObject({ width: 240, height: 260 });
    expect(observers[0].observed).toEqual([box]);

    Object.defineProperty(box, "clientWidth", { configurable: true, value: 600 });
    observers[0].callback();
    Object.defineProperty(box, "clientWidth", { configurable: true, value: 100 });
    observers[0].callback();
    expect(plots[0].sizes).toEqual([
      { width: 600, height: 260 },
      { width: 240, height: 260 },
    ]);

    act(() => root.unmount());
    expect(observers[0].disconnected).toBe(true);
    expect(plots[0].destroyed).toBe(true);
    root = createRoot(container);
  });

  it("says the totals of an empty range as zeros", async () => {
    await act(async () => root.render(<FlowChart days={[]} />));
    expect(container.querySelector("[role=img]")!.getAttribute("aria-label")).toBe("Line chart: 0 tasks created and 0 completed over 0 days");
  });
});
