// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { renderPage } from "./page";

describe("the __FRAGMENT_NAME__ page", () => {
  it("shows a heading with the fragment's name and who is signed in", () => {
    const page = renderPage({
      name: "__FRAGMENT_NAME__",
      user: { id: "u1", email: "<b>ada@example.com</b>", roles: ["member"] },
    });
    expect(page.querySelector("h1")?.textContent).toBe("__FRAGMENT_NAME__");
    expect(page.textContent).toContain("<b>ada@example.com</b>");
    expect(page.querySelector("b")).toBeNull();
  });
});
