import { ApiError } from "@platform/sdk";
import { describe, expect, it } from "vitest";
import { formatWhen, nameChange, verificationState } from "./account";
import { errorsFor, fieldOf } from "./Form";

const NOW = Date.parse("2026-12-04T12:00:00Z");
const PASSWORD_FIELDS = ["current_password", "password"];

describe("nameChange", () => {
  it("stores the name trimmed", () => expect(nameChange("  Ada Lovelace ")).toEqual({ full_name: "Ada Lovelace" }));
  it("clears the name when the field is emptied", () => expect(nameChange("   ")).toEqual({ full_name: null }));
});

describe("formatWhen", () => {
  it("says just now for the last minute", () => expect(formatWhen("2026-12-04T11:59:30Z", NOW)).toBe("just now"));
  it("counts minutes and hours", () => {
    expect(formatWhen("2026-12-04T11:55:00Z", NOW)).toBe("5 minutes ago");
    expect(formatWhen("2026-12-04T09:00:00Z", NOW)).toBe("3 hours ago");
  });
  it("says yesterday, then the date after a week", () => {
    expect(formatWhen("2026-12-03T11:00:00Z", NOW)).toBe("yesterday");
    expect(formatWhen("2026-11-20T12:00:00Z", NOW)).toBe("Nov 20, 2026");
  });
});

describe("errors next to their field", () => {
  it("puts a weak new password next to the new password", () => {
    const weak = new ApiError(400, "UPDATE_USER_INVALID_PASSWORD", "Password is too easy to guess. This is a very common password.");
    expect(errorsFor(weak, PASSWORD_FIELDS)).toEqual({
      form: null,
      fields: { password: "Password is too easy to guess. This is a very common password." },
    });
  });
  it("puts a wrong or missing current password next to the current password", () => {
    expect(fieldOf(new ApiError(400, "CURRENT_PASSWORD_INVALID", "x"), PASSWORD_FIELDS)).toBe("current_password");
    expect(errorsFor(new ApiError(400, "CURRENT_PASSWORD_REQUIRED", "x"), PASSWORD_FIELDS).fields).toEqual({
      current_password: "Enter your current password.",
    });
  });
  it("places sign-up's and reset's password rules on the password field too", () => {
    expect(fieldOf(new ApiError(400, "REGISTER_INVALID_PASSWORD", "x"), ["email", "password"])).toBe("password");
    expect(fieldOf(new ApiError(400, "RESET_PASSWORD_INVALID_PASSWORD", "x"), ["password"])).toBe("password");
  });
  it("places a validation error on the field it names", () => {
    const invalid = new ApiError(422, "VALIDATION_ERROR", "email: value is not a valid email address");
    expect(fieldOf(invalid, ["email", "current_password"])).toBe("email");
  });
  it("keeps for the whole form what is about no field of it", () => {
    expect(errorsFor(new ApiError(429, "LOGIN_TOO_MANY_ATTEMPTS", "x"), PASSWORD_FIELDS)).toEqual({
      form: "Too many attempts. Wait a few minutes and try again.",
      fields: {},
    });
    expect(fieldOf(new ApiError(400, "UPDATE_USER_EMAIL_ALREADY_EXISTS", "x"), PASSWORD_FIELDS)).toBeNull();
    expect(errorsFor(new TypeError("offline"), PASSWORD_FIELDS).form).toMatch(/could not be reached/);
  });
});

describe("verificationState", () => {
  it("tells an unverified user where the link is", () => {
    expect(verificationState(true)).toBe("Verified");
    expect(verificationState(false)).toMatch(/^Not verified/);
  });
});
