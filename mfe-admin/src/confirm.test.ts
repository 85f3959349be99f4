import { describe, expect, it } from "vitest";
import { isConfirmed } from "./confirm";

describe("isConfirmed", () => {
  it("accepts the exact phrase", () => expect(isConfirmed("disable dashboard", "Disable", "dashboard")).toBe(true));
  it("rejects a different target", () => expect(isConfirmed("disable admin", "Disable", "dashboard")).toBe(false));
});
