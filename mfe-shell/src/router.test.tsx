// @vitest-environment happy-dom
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Link } from "./Link";
import { navigate, subscribeLocation, useLocation } from "./router";

let container: HTMLElement;
let root: Root;
let unsubscribe: () => void;
let changes: string[];

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  history.replaceState(null, "", "/dashboard");
  changes = [];
  unsubscribe = subscribeLocation(() => changes.push(`${location.pathname}${location.search}`));
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  unsubscribe();
  act(() => root.unmount());
  container.remove();
  vi.restoreAllMocks();
});

describe("navigate", () => {
  it("adds a history entry and tells the subscribers", () => {
    const entries = history.length;
    navigate("/projects/p1?view=list");
    expect([location.pathname, location.search]).toEqual(["/projects/p1", "?view=list"]);
    expect(history.length).toBe(entries + 1);
    expect(changes).toEqual(["/projects/p1?view=list"]);
  });

  it("replaces the entry when asked (a redirect leaves nothing to go back to)", () => {
    const entries = history.length;
    navigate("/login?next=%2Fadmin", { replace: true });
    expect(`${location.pathname}${location.search}`).toBe("/login?next=%2Fadmin");
    expect(history.length).toBe(entries);
    expect(changes).toHaveLength(1);
  });

  it("does nothing for the page already shown", () => {
    const entries = history.length;
    navigate("/dashboard");
    expect(history.length).toBe(entries);
    expect(changes).toEqual([]);
  });

  it("tells the subscribers when the browser moves back or forward", () => {
    history.replaceState(null, "", "/admin");
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(changes).toEqual(["/admin"]);
  });

  it("tells nobody who unsubscribed", () => {
    unsubscribe();
    navigate("/admin");
    expect(changes).toEqual([]);
  });
});

function Where() {
  const { pathname, search } = useLocation();
  return (
    <p>
      {pathname}|{search}
    </p>
  );
}

describe("useLocation", () => {
  it("renders the current path and follows navigation", async () => {
    await act(async () => root.render(<Where />));
    expect(container.textContent).toBe("/dashboard|");
    await act(async () => navigate("/projects?q=apollo"));
    expect(container.textContent).toBe("/projects|?q=apollo");
    await act(async () => {
      history.replaceState(null, "", "/admin/users");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    expect(container.textContent).toBe("/admin/users|");
  });
});

describe("Link", () => {
  async function showLink(onClick?: (event: React.MouseEvent<HTMLAnchorElement>) => void) {
    await act(async () =>
      root.render(
        <Link href="/projects" className="nav" onClick={onClick}>
          Projects
        </Link>,
      ),
    );
    return container.querySelector("a")!;
  }

  /** Whether the browser would follow the link itself (the shell did not take the click). */
  async function clickLink(link: HTMLAnchorElement, init: MouseEventInit = {}) {
    let left = false;
    // Last to see the click: notes whether the shell took it, then keeps happy-dom from
    // following the link itself (it would, as a browser does).
    const browser = (event: Event) => {
      left = !event.defaultPrevented;
      event.preventDefault();
    };
    window.addEventListener("click", browser);
    await act(async () => link.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ...init })));
    window.removeEventListener("click", browser);
    return left;
  }

  it("is an ordinary link that moves without a page load", async () => {
    const link = await showLink();
    expect([link.getAttribute("href"), link.className, link.textContent]).toEqual(["/projects", "nav", "Projects"]);
    expect(await clickLink(link)).toBe(false);
    expect(location.pathname).toBe("/projects");
    expect(changes).toEqual(["/projects"]);
  });

  it.each([
    ["Ctrl", { ctrlKey: true }],
    ["Cmd", { metaKey: true }],
    ["Shift", { shiftKey: true }],
    ["Alt", { altKey: true }],
    ["the middle button", { button: 1 }],
  ])("leaves a click with %s to the browser (a new tab or window)", async (_, init) => {
    const link = await showLink();
    expect(await clickLink(link, init)).toBe(true);
    expect(location.pathname).toBe("/dashboard");
    expect(changes).toEqual([]);
  });

  it("calls its own click handler first, which can keep the page where it is", async () => {
    const onClick = vi.fn((event: React.MouseEvent<HTMLAnchorElement>) => event.preventDefault());
    const link = await showLink(onClick);
    await clickLink(link);
    expect(onClick).toHaveBeenCalledOnce();
    expect(location.pathname).toBe("/dashboard");
  });
});
