import { createEventBus, SHELL_EVENTS } from "@platform/sdk";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import * as api from "./api";
import { App, PUBLIC_PAGES } from "./App";
import type { ContextFactory } from "./fragments/FragmentArea";
import { basePath, EMPTY_MANIFEST, readEmbeddedManifest, sameFragments, type Manifest } from "./manifest";
import { navigate, subscribeLocation } from "./router";
import { signInPageWith, type SignInNotice } from "./routes";
import { hasSessionMarker, Session } from "./session";
import "./styles.css";

const channel = "BroadcastChannel" in window ? new BroadcastChannel("farm-session") : null;
const session = new Session({
  refresh: api.refresh,
  hasSession: () => hasSessionMarker(document.cookie),
  signOut: api.signOut,
  exclusive: navigator.locks
    ? <T,>(work: () => Promise<T>) => navigator.locks.request("farm-session-refresh", work) as Promise<T>
    : undefined,
});
const events = createEventBus();

subscribeLocation(() => events.publish(SHELL_EVENTS.routeChanged, { pathname: location.pathname, search: location.search }));

// Signing out in one tab signs out every tab of this site.
channel?.addEventListener("message", (event: MessageEvent<string>) => {
  if (event.data === "signed-out") {
    session.clear();
    location.assign("/login");
  }
});

let signingOut = false;

async function signOut(notice?: SignInNotice): Promise<void> {
  signingOut = true;
  // The session may be over already (signed out everywhere, or this session from the
  // account page): the sign-in page is where this tab goes either way.
  await session.signOut().catch(() => undefined);
  channel?.postMessage("signed-out");
  location.assign(notice ? signInPageWith(notice) : "/login");
}

const contextFor: ContextFactory = (fragment) => ({
  name: fragment.name,
  version: fragment.version,
  basePath: basePath(fragment),
  user: session.user,
  getToken: () => session.getToken(),
  navigate: (path) => navigate(path),
  events,
});

/**
 * The gateway embeds the manifest it built the import map from. If it was built for
 * someone else (the access cookie had expired, so it saw an anonymous visitor), the import
 * map lacks this user's fragments: load the page once more now that the cookie is fresh.
 */
async function checkManifest(embedded: Manifest): Promise<void> {
  const token = session.peekToken();
  if (!token) return;
  const current = await api.fetchManifest(token).catch(() => null);
  const key = "platform:manifest-reload";
  if (!current || sameFragments(current, embedded)) {
    sessionStorage.removeItem(key);
  } else if (!sessionStorage.getItem(key)) {
    sessionStorage.setItem(key, "1");
    location.reload();
  }
}

async function start(): Promise<void> {
  const hadSession = hasSessionMarker(document.cookie);
  const user = await session.restore();
  // The gateway built the page for the access cookie's user: when that session has just
  // been refused (signed out elsewhere), its manifest lists fragments this visitor may not see.
  const embedded = user || !hadSession ? readEmbeddedManifest(document) : null;
  const manifest = embedded ?? (await api.fetchManifest(session.peekToken()).catch(() => EMPTY_MANIFEST));
  if (embedded) void checkManifest(embedded);
  session.subscribe((user) => {
    if (!user && !signingOut && !PUBLIC_PAGES.includes(location.pathname)) {
      location.assign(signInPageWith("session-ended"));
    }
  });
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App
        session={session}
        manifest={manifest}
        contextFor={contextFor}
        onOutcome={(fragment, error) =>
          void api.reportHealth(
            { fragment: fragment.name, version: fragment.version, outcome: error ? "failure" : "success", failure: error?.kind },
            session.peekToken(),
          )
        }
        onSignOut={(notice) => void signOut(notice)}
      />
    </StrictMode>,
  );
}

void start();
