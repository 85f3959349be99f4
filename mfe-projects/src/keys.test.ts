import { describe, expect, it } from "vitest";
import { KEY_PATTERN, suggestKey } from "./keys";

describe("suggestKey", () => {
  it.each([
    ["Mobile app redesign", "MAR"],
    ["Payments", "PAYM"],
    ["Café déco", "CD"],
    ["2025 roadmap", "R"],
    ["Q3 plan", "QP"],
    ["a b c d e f g h i j k l", "ABCDEFGHIJ"],
  ])("suggests a valid key for %s", (name, key) => {
    const suggested = suggestKey(name);
    expect(suggested.startsWith(key)).toBe(true);
    expect(suggested).toMatch(KEY_PATTERN);
  });
  it("suggests nothing for a name without letters", () => {
    expect(suggestKey("2025 — 42")).toBe("");
  });
  it("pads a one-letter name to two characters", () => {
    expect(suggestKey("x")).toMatch(KEY_PATTERN);
  });
});
