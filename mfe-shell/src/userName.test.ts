import { describe, expect, it } from "vitest";
import { displayName } from "./userName";

const ava = { id: "u1", email: "ava@example.com", roles: ["member"] };

describe("displayName", () => {
  it("is the account's display name when it has one", () => {
    expect(displayName(ava, { id: "u1", email: "ava@example.com", full_name: "Ava Account" })).toBe("Ava Account");
  });
  it("falls back to the e-mail when no name is set", () => {
    expect(displayName(ava, { id: "u1", email: "ava@example.com", full_name: null })).toBe("ava@example.com");
    expect(displayName(ava, null)).toBe("ava@example.com");
  });
  it("takes the account's e-mail over the token's, which may predate a change", () => {
    expect(displayName(ava, { id: "u1", email: "ava@new.example", full_name: null })).toBe("ava@new.example");
  });
  it("ignores an account of someone else (the previous user of this tab)", () => {
    expect(displayName(ava, { id: "u2", email: "bo@example.com", full_name: "Bo" })).toBe("ava@example.com");
  });
  it("names a user without e-mail by id", () => {
    expect(displayName({ id: "client:ci", email: null, roles: [] }, null)).toBe("client:ci");
  });
});
