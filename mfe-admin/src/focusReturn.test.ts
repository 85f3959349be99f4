// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rememberFocus, restoreFocus } from "./focusReturn";

// The fragment as the shell mounts it: inside a shadow root, a section with a card whose
// versions table has an "Activate" button, and a text field elsewhere.
const PAGE = `
  <div class="admin">
    <h1>Administration</h1>
    <section aria-labelledby="fragments-heading">
      <h2 id="fragments-heading">Fragments</h2>
      <article aria-labelledby="fragment-dashboard">
        <header><h3 id="fragment-dashboard">dashboard</h3></header>
        <table><tbody><tr><td><button id="activate">Activate 1.1.0</button></td></tr></tbody></table>
      </article>
    </section>
    <input id="search">
  </div>`;

let host: HTMLElement;
let shadow: ShadowRoot;
let stop: (() => void) | undefined;

beforeEach(() => {
  host = document.createElement("div");
  document.body.append(host);
  shadow = host.attachShadow({ mode: "open" });
  shadow.innerHTML = PAGE;
});

afterEach(() => {
  stop?.();
  host.remove();
});

function element(id: string): HTMLElement {
  return shadow.getElementById(id)!;
}

/** Focuses the opener, remembers it as a dialog opening would, and moves focus away (into the dialog). */
function openFrom(id: string) {
  element(id).focus();
  const memory = rememberFocus(shadow)!;
  element(id).blur();
  return memory;
}

const mutationsDelivered = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("restoreFocus", () => {
  it("gives focus back to the opener when it is still there (a cancelled dialog)", () => {
    const memory = openFrom("activate");

    stop = restoreFocus(memory);

    expect(shadow.activeElement).toBe(element("activate"));
  });

  it("focuses the card's heading when the opener is gone, inside the shadow root", () => {
    const memory = openFrom("activate");
    element("activate").remove();

    stop = restoreFocus(memory);

    expect(shadow.activeElement).toBe(element("fragment-dashboard"));
    expect(document.activeElement).toBe(host);
    expect(element("fragment-dashboard").tabIndex).toBe(-1);
  });

  it("falls back to the section's heading when the whole card is gone", () => {
    const memory = openFrom("activate");
    shadow.querySelector("article")!.remove();

    stop = restoreFocus(memory);

    expect(shadow.activeElement).toBe(element("fragments-heading"));
  });

  it("moves focus to the heading when the page re-renders after the dialog closed", async () => {
    const memory = openFrom("activate");
    stop = restoreFocus(memory);
    expect(shadow.activeElement).toBe(element("activate"));

    element("activate").remove();
    await mutationsDelivered();

    expect(shadow.activeElement).toBe(element("fragment-dashboard"));
  });

  it("leaves focus the person moved elsewhere alone", async () => {
    const memory = openFrom("activate");
    stop = restoreFocus(memory);
    element("search").focus();

    element("activate").remove();
    await mutationsDelivered();

    expect(shadow.activeElement).toBe(element("search"));
  });
});
