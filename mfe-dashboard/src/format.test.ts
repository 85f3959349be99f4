import { describe, expect, it } from "vitest";
import { addDays, affectsDashboard, formatCount, formatDuration, kpis, label, lastDays, ranked, weekStart } from "./format";

describe("formatDuration", () => {
  it("uses days from one day on", () => expect(formatDuration(3 * 86_400 + 43_200)).toBe("3.5 d"));
  it("uses hours below a day", () => expect(formatDuration(5 * 3_600)).toBe("5 h"));
  it("uses minutes below an hour", () => expect(formatDuration(40 * 60)).toBe("40 min"));
  it("shows a dash for a missing value", () => expect(formatDuration(Number.NaN)).toBe("–"));
});

describe("dates", () => {
  it("finds the Monday of a week, also from a Sunday", () => {
    expect(weekStart("2025-03-13")).toBe("2025-03-10");
    expect(weekStart("2025-03-16")).toBe("2025-03-10");
    expect(weekStart("2025-03-10")).toBe("2025-03-10");
  });
  it("adds days across month ends", () => expect(addDays("2025-02-27", 2)).toBe("2025-03-01"));
  it("makes a range of the last n days including today", () => expect(lastDays("2025-03-31", 30)).toEqual({ from: "2025-03-02", to: "2025-03-31" }));
});

describe("kpis", () => {
  const stats = {
    by_status: { todo: 10, in_progress: 4, done: 30 },
    per_day: [
      { day: "2025-03-09", completed: 5 },
      { day: "2025-03-10", completed: 2 },
      { day: "2025-03-12", completed: 3 },
    ],
    median_cycle_time_s: 2 * 86_400,
    overdue: 3,
  };
  it("computes the five tiles", () => {
    expect(kpis(stats, "2025-03-12")).toEqual({ open: 14, inProgress: 4, doneThisWeek: 5, overdue: 3, medianCycleTime: "2 d" });
  });
  it("shows a dash when nothing was completed", () => {
    expect(kpis({ ...stats, by_status: {}, median_cycle_time_s: null }, "2025-03-12")).toMatchObject({ open: 0, medianCycleTime: "–" });
  });
});

describe("ranked", () => {
  it("sorts by count and scales bars to the largest", () => {
    expect(ranked({ a: 2, b: 4 })).toEqual([
      { key: "b", count: 4, share: 1 },
      { key: "a", count: 2, share: 0.5 },
    ]);
  });
  it("orders equal counts by key, so rows do not swap places between refreshes", () => {
    expect(ranked({ b: 2, c: 2, a: 2 }).map((e) => e.key)).toEqual(["a", "b", "c"]);
  });
  it("shows keys outside the given order after it, not dropped", () => {
    expect(ranked({ todo: 1, blocked: 2 }, ["todo", "done"]).map((e) => [e.key, e.count])).toEqual([
      ["todo", 1],
      ["done", 0],
      ["blocked", 2],
    ]);
  });
  it("draws empty bars, not NaN-wide ones, when every count is zero", () => {
    expect(ranked({ low: 0 }, ["high", "low"]).map((e) => e.share)).toEqual([0, 0]);
  });
  it("keeps a given order and shows missing keys as zero", () => {
    expect(ranked({ high: 1 }, ["low", "high"]).map((e) => [e.key, e.count])).toEqual([
      ["low", 0],
      ["high", 1],
    ]);
  });
});

describe("labels", () => {
  it("spells statuses for people", () => expect(label("in_progress")).toBe("In progress"));
  it("groups thousands", () => expect(formatCount(5123)).toBe("5,123"));
  it("reacts to task, project and reset events only", () => {
    expect(affectsDashboard("task.updated")).toBe(true);
    expect(affectsDashboard("stream.reset")).toBe(true);
    expect(affectsDashboard("fragment.activated")).toBe(false);
  });
});
