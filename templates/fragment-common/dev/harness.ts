// Mounts the fragment on its own, as the shell would, for `npm run dev` and the smoke test.
// The context is a stand-in: a member signed in, no API token (the shell gives a real one).
import { createEventBus, type FragmentContext } from "@platform/sdk";
import { mount } from "../src/entry";

const context: FragmentContext = {
  name: "__FRAGMENT_NAME__",
  version: "dev",
  basePath: "/__FRAGMENT_NAME__",
  user: { id: "dev-user", email: "dev@example.com", roles: ["member"] },
  getToken: () => Promise.reject(new Error("no platform here: publish to try the API")),
  navigate: (path) => history.pushState(null, "", path),
  events: createEventBus(),
  reportError: (error) => console.error(error),
};

void mount(document.getElementById("fragment") as HTMLElement, context);
