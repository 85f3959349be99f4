// @vitest-environment happy-dom
import { errorAnswer, received } from "@platform/api-client/testing";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Account, AccountSession } from "../api";
import type { SignInNotice } from "../routes";
import type { Session } from "../session";
import { AccountPage } from "./Account";

const AVA: Account = {
  id: "a".repeat(24),
  email: "ava@example.com",
  full_name: "Ava Lind",
  roles: ["member"],
  is_active: true,
  is_superuser: false,
  is_verified: true,
  created_at: "2026-01-10T09:00:00Z",
};

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const HERE: AccountSession = { id: "s1", device: "Chrome on Linux", created_at: ago(3 * 3_600_000), last_used_at: ago(10_000), current: true };
const LAPTOP: AccountSession = { id: "s2", device: "Firefox on Windows", created_at: ago(2 * 86_400_000), last_used_at: ago(2 * 3_600_000), current: false };

interface Call {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

type Answer = (call: Call) => Response | Promise<Response> | undefined;

/**
 * The auth service behind the gateway: Ava's account (a PATCH is applied and echoed; a new
 * e-mail makes it unverified), her sessions (a DELETE removes one), sign-out everywhere and
 * the verification mail. `answer` is asked first, to refuse or delay a call.
 */
function fakeGateway(answer: Answer = () => undefined, account: Account = AVA, sessions: AccountSession[] = [HERE, LAPTOP]) {
  const calls: Call[] = [];
  let current = { ...account };
  let listed = [...sessions];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const { method, url, headers, body } = await received(input, init);
      const call = { method, path: url.pathname, body, authorization: headers.get("Authorization") };
      calls.push(call);
      const answered = await answer(call);
      if (answered) return answered;
      if (call.path === "/api/auth/users/me" && method === "GET") return Response.json(current);
      if (call.path === "/api/auth/users/me" && method === "PATCH") {
        const change = body as Partial<Account> & { password?: string; current_password?: string };
        current = { ...current, ...(change.full_name !== undefined ? { full_name: change.full_name } : {}) };
        if (change.email) current = { ...current, email: change.email, is_verified: false };
        return Response.json(current);
      }
      if (call.path === "/api/auth/jwt/sessions") return Response.json(listed);
      const ended = listed.find((s) => call.path === `/api/auth/jwt/sessions/${s.id}`);
      if (ended && method === "DELETE") {
        listed = listed.filter((s) => s !== ended);
        return new Response(null, { status: 204 });
      }
      if (call.path === "/api/auth/jwt/logout-all" || call.path === "/api/auth/request-verify-token") return new Response(null, { status: 204 });
      return errorAnswer(404, "NOT_FOUND", "Not found");
    }),
  );
  return calls;
}

let container: HTMLElement;
let root: Root;
let onSignOut: ReturnType<typeof vi.fn<(notice?: SignInNotice) => void>>;
let onAccountChange: ReturnType<typeof vi.fn<(account: Account) => void>>;
/** The page needs only a token from the session. */
const session = { getToken: async () => "access-1" } as unknown as Session;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  onSignOut = vi.fn<(notice?: SignInNotice) => void>();
  onAccountChange = vi.fn<(account: Account) => void>();
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

async function settled() {
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function showAccount() {
  await act(async () => root.render(<AccountPage session={session} onSignOut={onSignOut} onAccountChange={onAccountChange} />));
  await settled();
}

/** A labelled region of the page, by its heading. */
const region = (name: string) => {
  const found = [...container.querySelectorAll("section")].find((s) => s.querySelector(`#${s.getAttribute("aria-labelledby")}`)?.textContent === name);
  if (!found) throw new Error(`no region ${name}`);
  return found;
};
const field = (within: Element, label: string) => {
  const match = [...within.querySelectorAll("label")].find((l) => l.textContent === label);
  if (!match) throw new Error(`no field labelled ${label}`);
  return within.querySelector<HTMLInputElement>(`#${match.htmlFor}`)!;
};
const button = (within: Element, name: string) => {
  const found = [...within.querySelectorAll("button")].find((b) => (b.getAttribute("aria-label") ?? b.textContent) === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const texts = (within: Element, role: string) => [...within.querySelectorAll(`[role="${role}"]`)].map((e) => e.textContent);
const errorOf = (input: HTMLInputElement) => {
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id.endsWith("-error"));
  return ids.map((id) => container.querySelector(`#${id}`)?.textContent).join(" ") || null;
};

async function fill(within: Element, values: Record<string, string>) {
  await act(async () => {
    for (const [label, value] of Object.entries(values)) field(within, label).value = value;
  });
}

async function submit(within: Element) {
  await act(async () => within.querySelector("form")!.requestSubmit());
  await settled();
}

async function click(target: HTMLElement) {
  await act(async () => target.click());
  await settled();
}

describe("the account page", () => {
  it("says it is loading, then shows the four sections with the user's token", async () => {
    let answer: (response: Response) => void = () => undefined;
    const calls = fakeGateway(({ path }) => (path === "/api/auth/users/me" ? new Promise<Response>((resolve) => (answer = resolve)) : undefined));
    await showAccount();
    expect(document.title).toBe("Account · Platform");
    expect(document.activeElement?.textContent).toBe("Account");
    expect(texts(container, "status")).toEqual(["Loading your account…"]);

    answer(Response.json(AVA));
    await settled();
    expect(texts(container, "status")).toEqual([]);
    expect([...container.querySelectorAll("h2")].map((h) => h.textContent)).toEqual(["Profile", "E-mail", "Password", "Where you are signed in"]);
    expect(onAccountChange).toHaveBeenCalledWith(AVA);
    expect(calls.every((c) => c.authorization === "Bearer access-1")).toBe(true);
  });

  it("says why the account could not be read, and shows no forms", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/users/me" ? errorAnswer(503, "UPSTREAM_CIRCUIT_OPEN", "The auth service is unavailable; try again shortly.") : undefined));
    await showAccount();
    expect(texts(container, "alert")).toEqual(["The auth service is unavailable; try again shortly."]);
    expect(container.querySelector("form")).toBeNull();
    expect(texts(container, "status")).toEqual([]);
  });
});

describe("profile", () => {
  it("saves the display name trimmed and hands the changed account to the header", async () => {
    const calls = fakeGateway();
    await showAccount();
    const profile = region("Profile");
    expect(field(profile, "Display name").value).toBe("Ava Lind");

    await fill(profile, { "Display name": "  Ava Lind-Berg " });
    await submit(profile);

    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ full_name: "Ava Lind-Berg" }]);
    expect(texts(profile, "status")).toEqual(["Your display name was saved."]);
    expect(onAccountChange).toHaveBeenLastCalledWith({ ...AVA, full_name: "Ava Lind-Berg" });
  });

  it("clears the name when the field is emptied", async () => {
    const calls = fakeGateway();
    await showAccount();
    const profile = region("Profile");
    await fill(profile, { "Display name": "   " });
    await submit(profile);
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ full_name: null }]);
    expect(onAccountChange).toHaveBeenLastCalledWith({ ...AVA, full_name: null });
  });

  it("shows a refusal and no success message", async () => {
    fakeGateway(({ method }) => (method === "PATCH" ? errorAnswer(429, "RATE_LIMITED", "x") : undefined));
    await showAccount();
    const profile = region("Profile");
    await submit(profile);
    expect(texts(profile, "alert")).toEqual(["Too many attempts. Wait a few minutes and try again."]);
    expect(texts(profile, "status")).toEqual([]);
    expect(button(profile, "Save name").disabled).toBe(false);
  });
});

describe("e-mail", () => {
  it("shows a verified address without a resend button", async () => {
    fakeGateway();
    await showAccount();
    const email = region("E-mail");
    expect(email.querySelector("strong")?.textContent).toBe("ava@example.com");
    expect(email.querySelector(".verified")?.textContent).toBe("Verified");
    expect([...email.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Change e-mail"]);
  });

  it("resends the verification mail of an unverified address and says where it went", async () => {
    const calls = fakeGateway(undefined, { ...AVA, is_verified: false });
    await showAccount();
    const email = region("E-mail");
    expect(email.querySelector(".unverified")?.textContent).toBe("Not verified: check your inbox for the confirmation link.");

    await click(button(email, "Resend verification e-mail"));
    expect(calls.at(-1)).toMatchObject({ method: "POST", path: "/api/auth/request-verify-token", body: { email: "ava@example.com" } });
    expect(texts(email, "status")).toEqual(["We sent a new confirmation link to ava@example.com."]);
  });

  it("says why a resend was refused", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/request-verify-token" ? errorAnswer(429, "RATE_LIMITED", "x") : undefined), { ...AVA, is_verified: false });
    await showAccount();
    const email = region("E-mail");
    await click(button(email, "Resend verification e-mail"));
    expect(texts(email, "status")).toEqual(["Too many attempts. Wait a few minutes and try again."]);
  });

  it("changes the address with the current password, empties the form and shows it unverified", async () => {
    const calls = fakeGateway();
    await showAccount();
    const email = region("E-mail");
    await fill(email, { "New e-mail": "ava@lind.example", "Current password": "correct horse battery" });
    await submit(email);

    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ email: "ava@lind.example", current_password: "correct horse battery" }]);
    expect(texts(email, "status")).toEqual([
      "Your e-mail address is now ava@lind.example. We sent a confirmation link there; until you open it, the address is not verified.",
    ]);
    expect(email.querySelector("strong")?.textContent).toBe("ava@lind.example");
    expect(email.querySelector(".unverified")).not.toBeNull();
    expect(button(email, "Resend verification e-mail")).toBeDefined();
    expect([field(email, "New e-mail").value, field(email, "Current password").value]).toEqual(["", ""]);
    expect(onAccountChange).toHaveBeenLastCalledWith(expect.objectContaining({ email: "ava@lind.example", is_verified: false }));
  });

  it.each([
    ["a wrong current password", "CURRENT_PASSWORD_INVALID", "Current password", "Your current password is not right."],
    ["an address someone else uses", "UPDATE_USER_EMAIL_ALREADY_EXISTS", "New e-mail", "Another account already uses this e-mail address."],
  ])("shows %s next to its field of this form only", async (_, code, label, message) => {
    fakeGateway(({ method }) => (method === "PATCH" ? errorAnswer(400, code, code) : undefined));
    await showAccount();
    const email = region("E-mail");
    await fill(email, { "New e-mail": "ava@lind.example", "Current password": "not it at all" });
    await submit(email);

    const input = field(email, label);
    expect(errorOf(input)).toBe(message);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(texts(region("Password"), "alert")).toEqual([]);
    expect(email.querySelector("strong")?.textContent).toBe("ava@example.com");
    expect(field(email, "New e-mail").value).toBe("ava@lind.example");
  });
});

describe("password", () => {
  it("says a change signs out everywhere, and then signs out to the sign-in page's notice", async () => {
    const calls = fakeGateway();
    await showAccount();
    const password = region("Password");
    expect(password.querySelector(".hint")?.textContent).toBe("Changing it signs you out on every device, this one included.");
    expect(field(password, "New password").minLength).toBe(10);

    await fill(password, { "Current password": "correct horse battery", "New password": "staple grape lantern" });
    await submit(password);

    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ current_password: "correct horse battery", password: "staple grape lantern" }]);
    expect(onSignOut).toHaveBeenCalledExactlyOnceWith("password-changed");
  });

  it("shows a weak new password under the new password, and stays signed in", async () => {
    fakeGateway(({ method }) => (method === "PATCH" ? errorAnswer(400, "UPDATE_USER_INVALID_PASSWORD", "Password is too easy to guess.") : undefined));
    await showAccount();
    const password = region("Password");
    await fill(password, { "Current password": "correct horse battery", "New password": "aaaaaaaaaa" });
    await submit(password);

    const input = field(password, "New password");
    expect(errorOf(input)).toBe("Password is too easy to guess.");
    expect(input.getAttribute("aria-describedby")).toBe("field-new-password-hint field-new-password-error");
    expect(errorOf(field(password, "Current password"))).toBeNull();
    expect(onSignOut).not.toHaveBeenCalled();
  });

  it("shows a wrong current password under this form's current password, not the e-mail form's", async () => {
    fakeGateway(({ method }) => (method === "PATCH" ? errorAnswer(400, "CURRENT_PASSWORD_INVALID", "x") : undefined));
    await showAccount();
    const password = region("Password");
    await fill(password, { "Current password": "not it at all", "New password": "staple grape lantern" });
    await submit(password);

    expect(errorOf(field(password, "Current password"))).toBe("Your current password is not right.");
    expect(errorOf(field(region("E-mail"), "Current password"))).toBeNull();
    expect(onSignOut).not.toHaveBeenCalled();
  });
});

describe("where you are signed in", () => {
  const rows = () =>
    [...region("Where you are signed in").querySelectorAll("li")].map((li) => ({
      device: li.querySelector("strong")?.textContent,
      here: li.querySelector(".badge") !== null,
      times: [...li.querySelectorAll("time")].map((t) => [t.getAttribute("datetime"), t.textContent]),
      button: li.querySelector("button")?.getAttribute("aria-label"),
    }));

  it("lists each session with its device, this one marked, and when it signed in and was last used", async () => {
    fakeGateway();
    await showAccount();
    expect(rows()).toEqual([
      { device: "Chrome on Linux", here: true, times: [[HERE.created_at, "3 hours ago"], [HERE.last_used_at, "just now"]], button: "Sign out this device" },
      {
        device: "Firefox on Windows",
        here: false,
        times: [[LAPTOP.created_at, "2 days ago"], [LAPTOP.last_used_at, "2 hours ago"]],
        button: "Sign out Firefox on Windows, last used 2 hours ago",
      },
    ]);
  });

  it("signs another device out, says so and lists what is left", async () => {
    const calls = fakeGateway();
    await showAccount();
    const sessions = region("Where you are signed in");
    await click(button(sessions, "Sign out Firefox on Windows, last used 2 hours ago"));

    expect(calls.find((c) => c.method === "DELETE")?.path).toBe("/api/auth/jwt/sessions/s2");
    expect(texts(sessions, "status")).toEqual(["Signed out Firefox on Windows."]);
    expect(rows().map((r) => r.device)).toEqual(["Chrome on Linux"]);
    expect(onSignOut).not.toHaveBeenCalled();
  });

  it("signs this tab out when this device's session is ended", async () => {
    const calls = fakeGateway();
    await showAccount();
    await click(button(region("Where you are signed in"), "Sign out this device"));
    expect(calls.find((c) => c.method === "DELETE")?.path).toBe("/api/auth/jwt/sessions/s1");
    expect(onSignOut).toHaveBeenCalledExactlyOnceWith();
  });

  it("says a session had already ended", async () => {
    fakeGateway(({ method }) => (method === "DELETE" ? errorAnswer(404, "SESSION_NOT_FOUND", "x") : undefined));
    await showAccount();
    const sessions = region("Where you are signed in");
    await click(button(sessions, "Sign out Firefox on Windows, last used 2 hours ago"));
    expect(texts(sessions, "alert")).toEqual(["That session has already ended."]);
    expect(texts(sessions, "status")).toEqual([]);
  });

  it("signs out everywhere and then this tab", async () => {
    const calls = fakeGateway();
    await showAccount();
    await click(button(region("Where you are signed in"), "Sign out everywhere"));
    expect(calls.at(-1)).toMatchObject({ method: "POST", path: "/api/auth/jwt/logout-all" });
    expect(onSignOut).toHaveBeenCalledExactlyOnceWith();
  });

  it("stays signed in and says why when signing out everywhere fails", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/jwt/logout-all" ? Promise.reject(new TypeError("Failed to fetch")) : undefined));
    await showAccount();
    const sessions = region("Where you are signed in");
    await click(button(sessions, "Sign out everywhere"));
    expect(texts(sessions, "alert")).toEqual(["The server could not be reached. Check your connection and try again."]);
    expect(onSignOut).not.toHaveBeenCalled();
  });

  it("says why the sessions could not be listed, and still offers signing out everywhere", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/jwt/sessions" ? errorAnswer(502, "UPSTREAM_UNREACHABLE", "The auth service did not answer.") : undefined));
    await showAccount();
    const sessions = region("Where you are signed in");
    expect(texts(sessions, "alert")).toEqual(["The auth service did not answer."]);
    expect(rows()).toEqual([]);
    expect(button(sessions, "Sign out everywhere")).toBeDefined();
  });
});
