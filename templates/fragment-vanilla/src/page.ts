import type { FragmentContext } from "@platform/sdk";

/** The page: built with the DOM API (textContent, never innerHTML, so no markup is injected). */
export function renderPage(context: Pick<FragmentContext, "name" | "user">): HTMLElement {
  const section = document.createElement("section");
  section.className = "page";
  const heading = document.createElement("h1");
  heading.textContent = context.name;
  const note = document.createElement("p");
  const who = context.user?.email ? `Signed in as ${context.user.email}.` : "Signed in.";
  note.textContent = `${who} Edit src/page.ts to build this page.`;
  section.append(heading, note);
  return section;
}
