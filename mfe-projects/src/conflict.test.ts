import { describe, expect, it } from "vitest";
import { conflicts, defaultChoices, mergedPatch, overwritePatch } from "./conflict";
import type { TaskFields } from "./types";

const base: TaskFields = { title: "Write docs", description: "", status: "todo", priority: "medium", assignee: null, labels: ["docs"], due: null };

describe("conflicts", () => {
  it("lists only the fields where my version and theirs differ, with who changed them", () => {
    const theirs = { ...base, priority: "high" as const, labels: ["docs", "urgent"] };
    const rows = conflicts(base, { title: "Write the docs", labels: ["docs"] }, theirs);
    expect(rows.map((r) => [r.field, r.iChanged, r.theyChanged])).toEqual([
      ["title", true, false],
      ["priority", false, true],
      ["labels", false, true],
    ]);
  });
  it("finds nothing when both made the same change", () => {
    expect(conflicts(base, { status: "done" }, { ...base, status: "done" })).toEqual([]);
  });
});

describe("merge", () => {
  const theirs = { ...base, title: "Write the user guide", priority: "urgent" as const, due: "2025-03-14" };
  const rows = conflicts(base, { title: "Write docs now", description: "Steps" }, theirs);

  it("defaults to mine for fields I changed and theirs for fields only they changed", () => {
    expect(defaultChoices(rows)).toEqual({ title: "mine", description: "mine", priority: "theirs", due: "theirs" });
  });
  it("sends my value for each field chosen as mine, nothing for theirs", () => {
    expect(mergedPatch(rows, defaultChoices(rows))).toEqual({ title: "Write docs now", description: "Steps" });
    expect(mergedPatch(rows, { ...defaultChoices(rows), title: "theirs" })).toEqual({ description: "Steps" });
  });
  it("keeping theirs everywhere sends nothing", () => {
    expect(mergedPatch(rows, { title: "theirs", description: "theirs", priority: "theirs", due: "theirs" })).toEqual({});
  });
  it("overwriting sends my whole version of every differing field", () => {
    expect(overwritePatch(rows)).toEqual({ title: "Write docs now", description: "Steps", priority: "medium", due: null });
  });
});
