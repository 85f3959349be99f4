// @vitest-environment happy-dom
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mount } from "./entry";
import { HEADING } from "./Dashboard";

vi.mock("uplot", () => ({ default: class {} }));

const context: FragmentContext = {
  name: "dashboard",
  version: "1.0.3",
  basePath: "/dashboard",
  user: { id: "a".repeat(24), email: "me@example.io", roles: ["member"] },
  getToken: async () => "token-1",
  navigate: () => undefined,
  events: createEventBus(),
  reportError: () => undefined,
};

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  // Nothing answers: the dashboard stays loading, which is all this test needs.
  vi.stubGlobal("fetch", vi.fn(() => new Promise<Response>(() => undefined)));
});

afterEach(() => vi.unstubAllGlobals());

describe("the fragment contract", () => {
  it("mounts the dashboard into the element the shell gives and takes it down on unmount", async () => {
    const element = document.createElement("div");
    let unmount: () => void = () => undefined;
    await act(async () => void (unmount = mount(element, context)));
    expect(element.querySelector("h1")!.textContent).toBe(HEADING);
    expect(element.querySelector("[role=status].visually-hidden")!.textContent).toBe("Loading figures…");

    act(() => unmount());
    expect(element.childNodes).toHaveLength(0);
  });
});
