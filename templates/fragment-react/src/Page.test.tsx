// @vitest-environment happy-dom
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { act } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { mount } from "./entry";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const context: FragmentContext = {
  name: "__FRAGMENT_NAME__",
  version: "0.1.0",
  basePath: "/__FRAGMENT_NAME__",
  user: { id: "u1", email: "ada@example.com", roles: ["member"] },
  getToken: async () => "token",
  navigate: () => undefined,
  events: createEventBus(),
  reportError: (error) => {
    throw error;
  },
};

describe("the __FRAGMENT_NAME__ page", () => {
  const element = document.createElement("div");
  let unmount = () => {};
  afterEach(() => act(() => unmount()));

  it("shows a heading with the fragment's name and who is signed in", async () => {
    await act(async () => {
      unmount = await mount(element, context);
    });
    expect(element.querySelector("h1")?.textContent).toBe("__FRAGMENT_NAME__");
    expect(element.textContent).toContain("ada@example.com");
  });
});
