// @vitest-environment happy-dom
import { errorAnswer, received } from "@platform/api-client/testing";
import { createEventBus, type FragmentModule } from "@platform/sdk";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { App } from "./App";
import type { ContextFactory } from "./fragments/FragmentArea";
import { importFragment } from "./fragments/loader";
import { basePath, type Manifest } from "./manifest";
import { manifestFragment, manifestOf } from "./testManifest";
import type { SignInNotice } from "./routes";
import { Session } from "./session";

// The browser's module loader is not here: every fragment is a module that shows its name and path.
vi.mock("./fragments/loader", async (importOriginal) => ({ ...(await importOriginal<typeof import("./fragments/loader")>()), importFragment: vi.fn() }));
const loadModule = vi.mocked(importFragment);

const fragment = manifestFragment;
// What the registry gives a member: the admin fragment is left out for them.
const MANIFEST: Manifest = manifestOf([
  fragment("projects", { nav: { label: "Projects", order: 20 } }),
  fragment("dashboard", { nav: { label: "Dashboard", order: 10 } }),
  fragment("status", { routes: ["/status"] }),
]);
const ADMIN_MANIFEST: Manifest = manifestOf([fragment("admin", { nav: { label: "Admin", order: 90 } }), ...MANIFEST.fragments]);
// What it gives an anonymous visitor: the public fragments only.
const ANONYMOUS_MANIFEST: Manifest = manifestOf(MANIFEST.fragments.filter((f) => f.name === "status"));

const token = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.s`;
const AVA = { sub: "u1", email: "ava@example.com", roles: ["member"] };
const ACCOUNT = { id: "u1", email: "ava@example.com", full_name: "Ava Lind", roles: ["member"], is_active: true, is_superuser: false, is_verified: true };

/** The gateway: signs in with `claims`, answers the account (`me`, or a refusal) and echoes a change to it. */
function fakeGateway(claims: object = AVA, me: () => Response = () => Response.json(ACCOUNT)) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin), init);
      const { pathname } = new URL(request.url);
      if (pathname === "/api/auth/jwt/refresh") return Response.json({ access_token: token(claims), token_type: "bearer", expires_in: 900 });
      if (pathname === "/api/auth/users/me" && request.method === "GET") return me();
      if (pathname === "/api/auth/users/me" && request.method === "PATCH") return Response.json({ ...ACCOUNT, ...((await received(request)).body as object) });
      if (pathname === "/api/auth/jwt/sessions") return Response.json([]);
      return errorAnswer(404, "NOT_FOUND", "Not found");
    }),
  );
}

let container: HTMLElement;
let root: Root;
let session: Session;
let onSignOut: ReturnType<typeof vi.fn<(notice?: SignInNotice) => void>>;
let mounts: string[];
let unmounts: string[];
const contextFor: ContextFactory = (f) => ({
  name: f.name,
  version: f.version,
  basePath: basePath(f),
  user: session.user,
  getToken: () => session.getToken(),
  navigate: () => undefined,
  events: createEventBus(),
});

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  session = new Session({ refresh: api.refresh, signOut: api.signOut, setTimer: () => 0, clearTimer: () => undefined });
  onSignOut = vi.fn<(notice?: SignInNotice) => void>();
  mounts = [];
  unmounts = [];
  loadModule.mockReset();
  loadModule.mockImplementation(
    async (): Promise<FragmentModule> => ({
      mount(element, context) {
        mounts.push(context.name);
        element.textContent = `${context.name} fragment`;
        return () => unmounts.push(context.name);
      },
    }),
  );
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

/** Opens `path` in the shell, signed in with `claims` unless null. */
async function open(path: string, claims: object | null = AVA, manifest: Manifest = claims ? MANIFEST : ANONYMOUS_MANIFEST) {
  history.replaceState(null, "", path);
  if (claims) {
    fakeGateway(claims);
    await session.restore(); // the page loaded with the session's cookies
  } else fakeGateway();
  await act(async () => root.render(<App session={session} manifest={manifest} contextFor={contextFor} onOutcome={() => undefined} onSignOut={onSignOut} />));
  await settled();
}

const here = () => `${location.pathname}${location.search}`;
const heading = () => container.querySelector("main h1")?.textContent;
const nav = () => [...container.querySelectorAll('nav[aria-label="Main"] a')].map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("aria-current")]);
const userButton = () => container.querySelector<HTMLButtonElement>(".user-menu > button");
const fragmentShown = () => container.querySelector<HTMLElement>(".fragment-host")?.shadowRoot?.textContent;

async function clickLink(text: string) {
  const link = [...container.querySelectorAll("a")].find((a) => a.textContent === text)!;
  await act(async () => link.click());
  await settled();
}

describe("an anonymous visitor", () => {
  it.each([
    ["/dashboard/tasks?status=done", "/login?next=%2Fdashboard%2Ftasks%3Fstatus%3Ddone"],
    ["/account", "/login?next=%2Faccount"],
    ["/admin", "/login?next=%2Fadmin"],
    ["/no-such-page", "/login?next=%2Fno-such-page"],
    ["/", "/login"],
  ])("of %s is sent to sign in first, and back there afterwards", async (path, target) => {
    const entries = history.length;
    await open(path, null);
    expect(here()).toBe(target);
    expect(history.length).toBe(entries);
    expect(heading()).toBe("Sign in");
    expect(container.querySelector("nav")).toBeNull();
    expect(userButton()).toBeNull();
  });

  it("sees a public fragment's page without signing in", async () => {
    await open("/status", null);
    expect(here()).toBe("/status");
    expect(fragmentShown()).toBe("status fragment");
  });

  it.each([
    ["/register", "Create an account"],
    ["/forgot-password", "Reset your password"],
    ["/reset-password?token=t1", "Choose a new password"],
    ["/verify", "Verify your e-mail"],
  ])("may open %s", async (path, title) => {
    await open(path, null);
    expect(here()).toBe(path);
    expect(heading()).toBe(title);
  });
});

describe("a signed-in user", () => {
  it("is taken from the sign-in page to the page in its next parameter, or the start", async () => {
    await open("/login?next=%2Fprojects%2Fp1");
    expect(here()).toBe("/projects/p1");
    expect(fragmentShown()).toBe("projects fragment");
  });

  it("is not taken to another site by a next parameter", async () => {
    await open("/register?next=%2F%2Fevil.example");
    expect(here()).toBe("/dashboard");
  });

  it("starts on the first page of the navigation, which lists what the user may see in order", async () => {
    await open("/");
    expect(here()).toBe("/dashboard");
    expect(nav()).toEqual([
      ["Dashboard", "/dashboard", "page"],
      ["Projects", "/projects", null],
    ]);
    expect(fragmentShown()).toBe("dashboard fragment");
    expect(document.title).toBe("Dashboard · Platform");
  });

  it("sees the admin entry only with the admin role", async () => {
    await open("/admin/users", { ...AVA, roles: ["admin"] }, ADMIN_MANIFEST);
    expect(nav().map(([label]) => label)).toEqual(["Dashboard", "Projects", "Admin"]);
    expect(fragmentShown()).toBe("admin fragment");
  });

  it("gets the not-found page for a page nobody owns, or that their roles do not show", async () => {
    await open("/admin");
    expect(here()).toBe("/admin");
    expect(heading()).toBe("Page not found");
    expect(document.activeElement?.textContent).toBe("Page not found");
    expect(document.title).toBe("Page not found · Platform");
    expect(container.querySelector("main code")?.textContent).toBe("/admin");
    expect(mounts).toEqual([]);

    await clickLink("Go to the start page");
    expect(here()).toBe("/dashboard");
  });

  it("is welcomed when no page is available to them", async () => {
    await open("/", AVA, manifestOf([]));
    expect(here()).toBe("/");
    expect(heading()).toBe("Welcome");
    expect(container.querySelector("main")?.textContent).toContain("Ask an administrator for access.");
  });

  it("moves between pages of one fragment without remounting it, and to another fragment with the focus on the content", async () => {
    await open("/dashboard");
    await act(async () => {
      history.pushState(null, "", "/dashboard/tasks");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    await settled();
    expect(mounts).toEqual(["dashboard"]);
    expect(nav()[0]).toEqual(["Dashboard", "/dashboard", "page"]);

    await clickLink("Projects");
    expect(here()).toBe("/projects");
    expect([mounts, unmounts]).toEqual([["dashboard", "projects"], ["dashboard"]]);
    expect(document.activeElement?.id).toBe("main");
    expect(nav().map(([, , current]) => current)).toEqual([null, "page"]);
  });

  it("can skip the header: the first link moves the focus to the content, without leaving the page", async () => {
    await open("/dashboard");
    const skip = container.querySelector<HTMLAnchorElement>("a")!;
    expect([skip.textContent, skip.getAttribute("href")]).toEqual(["Skip to content", "#main"]);
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    await act(async () => skip.dispatchEvent(click));
    expect(click.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(container.querySelector("main"));
    expect(here()).toBe("/dashboard");
  });

  it("is named in the header by their display name once the account is read", async () => {
    await open("/dashboard");
    expect(userButton()?.textContent).toBe("AAva Lind");
  });

  it("is named by their e-mail when the account cannot be read", async () => {
    history.replaceState(null, "", "/dashboard");
    fakeGateway(AVA, () => errorAnswer(503, "UPSTREAM_CIRCUIT_OPEN", "x"));
    await session.restore(); // the page loaded with the session's cookies
    await act(async () => root.render(<App session={session} manifest={MANIFEST} contextFor={contextFor} onOutcome={() => undefined} onSignOut={onSignOut} />));
    await settled();
    expect(userButton()?.textContent).toBe("Aava@example.com");
  });

  it("sees a new display name in the header as soon as the account page saved it", async () => {
    await open("/account");
    expect(heading()).toBe("Account");
    const name = container.querySelector<HTMLInputElement>("#field-full_name")!;
    await act(async () => void (name.value = "Ava Lind-Berg"));
    await act(async () => name.form!.requestSubmit());
    await settled();
    expect(userButton()?.textContent).toBe("AAva Lind-Berg");
  });

  it("signs out from the user menu", async () => {
    await open("/dashboard");
    await act(async () => userButton()!.click());
    const signOut = [...container.querySelectorAll(".user-menu-panel button")].find((b) => b.textContent === "Sign out")!;
    await act(async () => (signOut as HTMLButtonElement).click());
    expect(onSignOut).toHaveBeenCalledExactlyOnceWith();
  });

  it("loses the navigation and the user menu when the session ends (start-up then sends the tab to sign in: main.test.tsx)", async () => {
    await open("/dashboard/tasks");
    await act(async () => session.clear());
    await settled();
    expect(userButton()).toBeNull();
    expect(nav()).toEqual([]);
  });
});
