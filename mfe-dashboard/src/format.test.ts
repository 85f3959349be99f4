import { describe, expect, it } from "vitest";
import { formatDuration } from "./format";

describe("formatDuration", () => {
  it("uses days from one day on", () => expect(formatDuration(3 * 86_400 + 43_200)).toBe("3.5 d"));
  it("uses hours below a day", () => expect(formatDuration(5 * 3_600)).toBe("5 h"));
  it("uses minutes below an hour", () => expect(formatDuration(40 * 60)).toBe("40 min"));
  it("shows a dash for a missing value", () => expect(formatDuration(Number.NaN)).toBe("–"));
});
