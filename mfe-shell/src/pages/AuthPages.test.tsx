// @vitest-environment happy-dom
import { errorAnswer, received } from "@platform/api-client/testing";
import { act, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ForgotPassword, ResetPassword, SignIn, SignUp, VerifyEmail } from "./AuthPages";

/** An access token naming Ava (the shell reads only its payload). */
const AVA_TOKEN = `h.${btoa(JSON.stringify({ sub: "u1", email: "ava@example.com", roles: ["member"] })).replace(/=+$/, "")}.s`;
const tokens = () => Response.json({ access_token: AVA_TOKEN, token_type: "bearer", expires_in: 900 });

interface Call {
  method: string;
  path: string;
  /** The JSON body, or the sign-in form's fields. */
  body: unknown;
}

type Answer = (call: Call) => Response | Promise<Response> | undefined;

/** The gateway: records every call; `answer` decides, else sign-in gives Ava's tokens and the rest answers 204. */
function fakeGateway(answer: Answer = () => undefined) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin), init);
      const path = new URL(request.url).pathname;
      const body =
        path === "/api/auth/jwt/login" ? Object.fromEntries(new URLSearchParams(await request.clone().text())) : (await received(request)).body;
      const call = { method: request.method, path, body };
      calls.push(call);
      const answered = await answer(call);
      if (answered) return answered;
      if (path === "/api/auth/jwt/login") return tokens();
      return new Response(null, { status: 204 });
    }),
  );
  return calls;
}

/** The validation refusal of the API (422 REQUEST_INVALID with FastAPI's problem list). */
const invalidEmail = () =>
  Response.json(
    {
      code: "REQUEST_INVALID",
      message: "The request does not match the operation: see detail",
      detail: [{ type: "value_error", loc: ["body", "email"], msg: "value is not a valid email address" }],
      request_id: "req-2",
    },
    { status: 422 },
  );

let container: HTMLElement;
let root: Root;
let assign: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  assign = vi.spyOn(location, "assign").mockImplementation(() => undefined);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});


async function settled() {
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function show(page: ReactNode) {
  await act(async () => root.render(page));
  await settled();
}

const field = (label: string) => {
  const match = [...container.querySelectorAll("label")].find((l) => l.textContent === label);
  if (!match) throw new Error(`no field labelled ${label}`);
  return container.querySelector<HTMLInputElement>(`#${match.htmlFor}`)!;
};
const button = (name: string) => [...container.querySelectorAll("button")].find((b) => b.textContent === name);
const alerts = () => [...container.querySelectorAll('[role="alert"]')].map((a) => a.textContent);
const statuses = () => [...container.querySelectorAll('[role="status"]')].map((s) => s.textContent);
/** The message shown under a field, found as assistive technology finds it (aria-describedby). */
const errorOf = (input: HTMLInputElement) => {
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id.endsWith("-error"));
  return ids.map((id) => container.querySelector(`#${id}`)?.textContent).join(" ") || null;
};

async function fill(values: Record<string, string>) {
  await act(async () => {
    for (const [label, value] of Object.entries(values)) field(label).value = value;
  });
}

async function submit() {
  await act(async () => container.querySelector("form")!.requestSubmit());
  await settled();
}

describe("sign-in page", () => {
  it("signs in with what was typed and loads the page it was sent from", async () => {
    const calls = fakeGateway();
    await show(<SignIn search="?next=%2Fprojects%2Fp1%3Fview%3Dlist" />);

    expect(document.title).toBe("Sign in · Platform");
    expect(document.activeElement?.textContent).toBe("Sign in");
    await fill({ "E-mail": "ava@example.com", Password: "correct horse battery" });
    await submit();

    expect(calls).toEqual([{ method: "POST", path: "/api/auth/jwt/login", body: { username: "ava@example.com", password: "correct horse battery", scope: "" } }]);
    // Nothing else is asked before the page it loads (which restores the session) replaces this one.
    expect(assign).toHaveBeenCalledExactlyOnceWith("/projects/p1?view=list");
  });

  it.each([
    ["no next", "", "/"],
    ["another site", "?next=https%3A%2F%2Fevil.example%2F", "/"],
    ["a protocol-relative address", "?next=%2F%2Fevil.example", "/"],
    ["a tab that makes it another origin", "?next=%2F%09%2Fevil.example", "/"],
  ])("goes to the start page after signing in with %s", async (_, search, target) => {
    fakeGateway();
    await show(<SignIn search={search} />);
    await fill({ "E-mail": "ava@example.com", Password: "correct horse battery" });
    await submit();
    expect(assign).toHaveBeenCalledExactlyOnceWith(target);
  });

  it.each([
    ["a wrong password", () => errorAnswer(400, "LOGIN_BAD_CREDENTIALS", "LOGIN_BAD_CREDENTIALS"), "The e-mail or password is not right."],
    ["an unverified address", () => errorAnswer(400, "LOGIN_USER_NOT_VERIFIED", "x"), "Please verify your e-mail address first: check your inbox."],
    ["too many attempts", () => errorAnswer(429, "RATE_LIMITED", "Rate limit exceeded"), "Too many attempts. Wait a few minutes and try again."],
    ["an unknown refusal", () => errorAnswer(503, "UPSTREAM_CIRCUIT_OPEN", "The auth service is unavailable; try again shortly."), "The auth service is unavailable; try again shortly."],
  ])("says so on %s, stays on the page and can be submitted again", async (_, refusal, message) => {
    fakeGateway(({ path }) => (path === "/api/auth/jwt/login" ? refusal() : undefined));
    await show(<SignIn search="?next=%2Fdashboard" />);
    await fill({ "E-mail": "ava@example.com", Password: "not the password" });
    await submit();

    expect(alerts()).toEqual([message]);
    expect(assign).not.toHaveBeenCalled();
    expect(button("Sign in")?.disabled).toBe(false);
  });

  it("says the server could not be reached when the request fails", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await show(<SignIn search="" />);
    await fill({ "E-mail": "ava@example.com", Password: "correct horse battery" });
    await submit();
    expect(alerts()).toEqual(["The server could not be reached. Check your connection and try again."]);
  });

  it("disables the button while signing in, and clears an earlier error", async () => {
    let answer: (response: Response) => void = () => undefined;
    let refused = true;
    fakeGateway(({ path }) => {
      if (path !== "/api/auth/jwt/login") return undefined;
      if (refused) return errorAnswer(400, "LOGIN_BAD_CREDENTIALS", "x");
      return new Promise<Response>((resolve) => (answer = resolve));
    });
    await show(<SignIn search="" />);
    await fill({ "E-mail": "ava@example.com", Password: "wrong one" });
    await submit();
    expect(alerts()).toHaveLength(1);

    refused = false;
    await submit();
    expect(alerts()).toEqual([]);
    const busy = [...container.querySelectorAll("button")].find((b) => b.type === "submit")!;
    expect([busy.textContent, busy.disabled]).toEqual(["Signing in…", true]);

    answer(tokens());
    await settled();
    expect(assign).toHaveBeenCalledWith("/");
  });

  it("shows the notices it knows and never text from the link", async () => {
    fakeGateway();
    await show(<SignIn search="?notice=password-changed" />);
    expect(statuses()).toEqual(["Your password was changed. Sign in with the new one."]);

    await show(<SignIn search="?notice=session-ended" />);
    expect(statuses()).toEqual(["Your session has ended. Please sign in again."]);

    await show(<SignIn search="?notice=Your+account+is+locked%2C+call+555-0100" />);
    expect(statuses()).toEqual([]);
    expect(container.textContent).not.toContain("555-0100");
  });

  it("links to the password reset and sign-up pages", async () => {
    fakeGateway();
    await show(<SignIn search="" />);
    const links = Object.fromEntries([...container.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")]));
    expect(links).toEqual({ "Forgot your password?": "/forgot-password", "Create an account": "/register" });
  });
});

describe("sign-up page", () => {
  it("creates the account, signs in with it and opens the start page", async () => {
    const calls = fakeGateway();
    await show(<SignUp />);
    expect(document.title).toBe("Create an account · Platform");

    await fill({ "Full name": "Ava Lind", "E-mail": "ava@example.com", Password: "correct horse battery" });
    await submit();

    expect(calls.map((c) => [c.path, c.body])).toEqual([
      ["/api/auth/register", { email: "ava@example.com", password: "correct horse battery", full_name: "Ava Lind" }],
      ["/api/auth/jwt/login", { username: "ava@example.com", password: "correct horse battery", scope: "" }],
    ]);
    expect(assign).toHaveBeenCalledExactlyOnceWith("/");
  });

  it("says the password rule next to the password field", async () => {
    fakeGateway();
    await show(<SignUp />);
    const password = field("Password");
    expect(password.minLength).toBe(10);
    expect(password.getAttribute("aria-describedby")).toBe("field-password-hint");
    expect(container.querySelector("#field-password-hint")?.textContent).toMatch(/^At least 10 characters and hard to guess/);
    expect(field("Full name").required).toBe(false);
    expect(field("E-mail").required).toBe(true);
  });

  it("shows a weak password under the password field, announced and linked to it, and signs nobody in", async () => {
    const calls = fakeGateway(({ path }) =>
      path === "/api/auth/register" ? errorAnswer(400, "REGISTER_INVALID_PASSWORD", "Password is too easy to guess. Add another word or two.") : undefined,
    );
    await show(<SignUp />);
    await fill({ "E-mail": "ava@example.com", Password: "password123" });
    await submit();

    const password = field("Password");
    expect(errorOf(password)).toBe("Password is too easy to guess. Add another word or two.");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(password.getAttribute("aria-describedby")).toBe("field-password-hint field-password-error");
    expect(alerts()).toEqual(["Password is too easy to guess. Add another word or two."]);
    expect(field("E-mail").hasAttribute("aria-invalid")).toBe(false);
    expect(calls.map((c) => c.path)).toEqual(["/api/auth/register"]);
    expect(assign).not.toHaveBeenCalled();
  });

  it("tells a known address to sign in instead, under the e-mail field", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/register" ? errorAnswer(400, "REGISTER_USER_ALREADY_EXISTS", "REGISTER_USER_ALREADY_EXISTS") : undefined));
    await show(<SignUp />);
    await fill({ "E-mail": "ava@example.com", Password: "correct horse battery" });
    await submit();
    expect(errorOf(field("E-mail"))).toBe("An account with this e-mail already exists. Sign in instead.");
    expect(errorOf(field("Password"))).toBeNull();
  });

  it("puts the API's validation message on the field it names", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/register" ? invalidEmail() : undefined));
    await show(<SignUp />);
    await fill({ "E-mail": "ava@example", Password: "correct horse battery" });
    await submit();
    expect(errorOf(field("E-mail"))).toBe("email: value is not a valid email address");
  });

  it("shows what is about no field under the form, and clears field errors on the next try", async () => {
    let refusal = () => errorAnswer(400, "REGISTER_INVALID_PASSWORD", "Too short");
    fakeGateway(({ path }) => (path === "/api/auth/register" ? refusal() : undefined));
    await show(<SignUp />);
    await fill({ "E-mail": "ava@example.com", Password: "correct horse battery" });
    await submit();
    expect(errorOf(field("Password"))).toBe("Too short");

    refusal = () => errorAnswer(429, "RATE_LIMITED", "Slow down");
    await submit();
    expect(errorOf(field("Password"))).toBeNull();
    expect(container.querySelector(".form-error")?.textContent).toBe("Too many attempts. Wait a few minutes and try again.");
    expect(button("Create account")?.disabled).toBe(false);
  });
});

describe("forgot-password page", () => {
  it("asks for a link and then says one was sent, whether or not the address has an account", async () => {
    const calls = fakeGateway();
    await show(<ForgotPassword />);
    expect(document.title).toBe("Reset your password · Platform");
    await fill({ "E-mail": "ava@example.com" });
    await submit();

    expect(calls).toEqual([{ method: "POST", path: "/api/auth/forgot-password", body: { email: "ava@example.com" } }]);
    expect(statuses()).toEqual(["If an account exists for that address, we have sent it a link to choose a new password."]);
    expect(container.querySelector("form")).toBeNull();
    expect(container.querySelector("a")?.getAttribute("href")).toBe("/login");
  });

  it("keeps the form and says why when the request is refused", async () => {
    fakeGateway(() => errorAnswer(429, "RATE_LIMITED", "Rate limit exceeded"));
    await show(<ForgotPassword />);
    await fill({ "E-mail": "ava@example.com" });
    await submit();
    expect(alerts()).toEqual(["Too many attempts. Wait a few minutes and try again."]);
    expect(statuses()).toEqual([]);
    expect(button("Send reset link")).toBeDefined();
  });
});

describe("reset-password page", () => {
  it("sets the new password with the link's token and sends the person to sign in with it", async () => {
    const calls = fakeGateway();
    await show(<ResetPassword search="?token=reset-token-1" />);
    expect(document.title).toBe("Choose a new password · Platform");
    expect(field("New password").minLength).toBe(10);
    await fill({ "New password": "correct horse battery" });
    await submit();

    expect(calls).toEqual([{ method: "POST", path: "/api/auth/reset-password", body: { token: "reset-token-1", password: "correct horse battery" } }]);
    expect(assign).toHaveBeenCalledExactlyOnceWith("/login?notice=password-changed");
  });

  it("says a link without a token is incomplete and cannot be submitted", async () => {
    const calls = fakeGateway();
    await show(<ResetPassword search="" />);
    expect(alerts()).toEqual(["This reset link is incomplete. Ask for a new one."]);
    expect(button("Set password")?.disabled).toBe(true);
    expect(calls).toEqual([]);
  });

  it("says an expired link must be asked for again", async () => {
    fakeGateway(() => errorAnswer(400, "RESET_PASSWORD_BAD_TOKEN", "RESET_PASSWORD_BAD_TOKEN"));
    await show(<ResetPassword search="?token=old" />);
    await fill({ "New password": "correct horse battery" });
    await submit();
    expect(container.querySelector(".form-error")?.textContent).toBe("This reset link is invalid or has expired. Ask for a new one.");
    expect(assign).not.toHaveBeenCalled();
  });

  it("shows a weak new password under the field", async () => {
    fakeGateway(() => errorAnswer(400, "RESET_PASSWORD_INVALID_PASSWORD", "Password is too easy to guess."));
    await show(<ResetPassword search="?token=t" />);
    await fill({ "New password": "aaaaaaaaaa" });
    await submit();
    const password = field("New password");
    expect(errorOf(password)).toBe("Password is too easy to guess.");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(container.querySelector(".form-error")).toBeNull();
  });
});

describe("e-mail verification page", () => {
  it("checks the link's token and says the address is verified", async () => {
    let answer: (response: Response) => void = () => undefined;
    const calls = fakeGateway(() => new Promise<Response>((resolve) => (answer = resolve)));
    await show(<VerifyEmail search="?token=verify-1" />);
    expect(document.title).toBe("Verify your e-mail · Platform");
    expect(statuses()).toEqual(["Checking your link…"]);

    answer(Response.json({ id: "u1", email: "ava@example.com", is_verified: true }));
    await settled();
    expect(statuses()).toEqual(["Your e-mail address is verified."]);
    expect(calls).toEqual([{ method: "POST", path: "/api/auth/verify", body: { token: "verify-1" } }]);
  });

  it.each([
    ["an expired link", "VERIFY_USER_BAD_TOKEN", "This verification link is invalid or has expired."],
    ["an address verified already", "VERIFY_USER_ALREADY_VERIFIED", "Your e-mail address is already verified."],
  ])("says so for %s", async (_, code, message) => {
    fakeGateway(() => errorAnswer(400, code, code));
    await show(<VerifyEmail search="?token=verify-1" />);
    expect(alerts()).toEqual([message]);
    expect(statuses()).toEqual([]);
  });

  it("asks nothing for a link without a token", async () => {
    const calls = fakeGateway();
    await show(<VerifyEmail search="" />);
    expect(alerts()).toEqual(["This verification link is incomplete."]);
    expect(calls).toEqual([]);
  });
});
