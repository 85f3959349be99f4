import { describe, expect, it } from "vitest";
import { windowOf } from "./windowing";

describe("windowOf", () => {
  it("shows the rows in view plus the overscan, and keeps the space of the others", () => {
    expect(windowOf(500, 100, 1000, 400, 2)).toEqual({ start: 8, end: 16, before: 800, after: 48_400 });
  });
  it("stays within the list at both ends", () => {
    expect(windowOf(5, 100, 0, 900)).toEqual({ start: 0, end: 5, before: 0, after: 0 });
    expect(windowOf(0, 100, 0, 900)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});
