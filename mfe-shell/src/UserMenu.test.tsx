// @vitest-environment happy-dom
import type { PlatformUser } from "@platform/sdk";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UserMenu } from "./UserMenu";

const AVA: PlatformUser = { id: "u1", email: "ava@example.com", roles: ["member", "publisher:dashboard"] };

let container: HTMLElement;
let outside: HTMLButtonElement;
let root: Root;
let onSignOut: ReturnType<typeof vi.fn<() => void>>;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  history.replaceState(null, "", "/dashboard");
  outside = Object.assign(document.createElement("button"), { textContent: "elsewhere" });
  container = document.createElement("div");
  document.body.append(outside, container);
  root = createRoot(container);
  onSignOut = vi.fn<() => void>();
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  outside.remove();
});

async function showMenu(user: PlatformUser = AVA, name = "Ava Lind") {
  await act(async () => root.render(<UserMenu user={user} name={name} onSignOut={onSignOut} />));
}

const toggle = () => container.querySelector<HTMLButtonElement>("button[aria-controls]")!;
const panel = () => container.querySelector<HTMLElement>(`#${toggle().getAttribute("aria-controls")}`)!;
const isOpen = () => [toggle().getAttribute("aria-expanded"), panel().hidden];

async function open() {
  await act(async () => toggle().click());
}

describe("the user menu", () => {
  it("shows the user's name on a disclosure button that starts closed", async () => {
    await showMenu();
    expect(toggle().textContent).toBe("AAva Lind");
    expect(toggle().querySelector(".avatar")?.getAttribute("aria-hidden")).toBe("true");
    expect(isOpen()).toEqual(["false", true]);
  });

  it("opens to say who is signed in, with the e-mail and roles, and closes on a second click", async () => {
    await showMenu();
    await open();
    expect(isOpen()).toEqual(["true", false]);
    expect(panel().querySelector(".menu-info")?.textContent).toBe("Signed in as Ava Lindava@example.comRoles: member, publisher:dashboard");

    await open();
    expect(isOpen()).toEqual(["false", true]);
  });

  it("does not repeat the e-mail when it is the name shown, and says when there are no roles", async () => {
    await showMenu({ id: "u2", email: "bo@example.com", roles: [] }, "bo@example.com");
    await open();
    expect(panel().querySelector(".menu-email")).toBeNull();
    expect(panel().querySelector(".menu-info")?.textContent).toBe("Signed in as bo@example.comRoles: none");
    expect(toggle().querySelector(".avatar")?.textContent).toBe("B");
  });

  it("closes on Escape and gives the focus back to its button", async () => {
    await showMenu();
    await open();
    panel().querySelector("a")!.focus();
    await act(async () => document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })));
    expect(isOpen()).toEqual(["false", true]);
    expect(document.activeElement).toBe(toggle());
  });

  it("stays open for other keys and for clicks inside it", async () => {
    await showMenu();
    await open();
    await act(async () => document.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true })));
    await act(async () => panel().dispatchEvent(new MouseEvent("mousedown", { bubbles: true })));
    expect(isOpen()).toEqual(["true", false]);
  });

  it("closes when the pointer or the focus goes elsewhere on the page", async () => {
    await showMenu();
    await open();
    await act(async () => outside.dispatchEvent(new MouseEvent("mousedown", { bubbles: true })));
    expect(isOpen()).toEqual(["false", true]);

    await open();
    await act(async () => outside.focus());
    expect(isOpen()).toEqual(["false", true]);
  });

  it("opens the account page without a page load, and closes", async () => {
    const assign = vi.spyOn(location, "assign").mockImplementation(() => undefined);
    await showMenu();
    await open();
    const account = panel().querySelector("a")!;
    expect([account.textContent, account.getAttribute("href")]).toEqual(["Account", "/account"]);

    let followedByTheBrowser = true;
    const browser = (event: Event) => {
      followedByTheBrowser = !event.defaultPrevented;
      event.preventDefault();
    };
    window.addEventListener("click", browser);
    await act(async () => account.click());
    window.removeEventListener("click", browser);
    expect(followedByTheBrowser).toBe(false);
    expect(location.pathname).toBe("/account");
    expect(assign).not.toHaveBeenCalled();
    expect(isOpen()).toEqual(["false", true]);
    vi.restoreAllMocks();
  });

  it("signs out from its Sign out button", async () => {
    await showMenu();
    await open();
    const signOut = [...panel().querySelectorAll("button")].find((b) => b.textContent === "Sign out")!;
    await act(async () => signOut.click());
    expect(onSignOut).toHaveBeenCalledOnce();
  });
});
