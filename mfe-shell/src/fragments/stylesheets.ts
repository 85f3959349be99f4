/**
 * A fragment's stylesheets (the manifest's `css`), linked inside its shadow root. The page's
 * CSP admits stylesheets only as files from the fragment origins, never inline <style>, so
 * this is how a fragment's CSS reaches it. The fragment is mounted once they have loaded, so
 * it is never shown unstyled; one that fails or hangs is not waited for longer than needed.
 */
export const STYLESHEET_WAIT_MS = 5_000;

/** Fetched with CORS, like the fragment's modules: its rules stay readable to the page's
 * scripts (accessibility checkers among them) and the gateway's preload is reused. */
export function stylesheetLinks(hrefs: readonly string[], doc: Document = document): HTMLLinkElement[] {
  return hrefs.map((href) => Object.assign(doc.createElement("link"), { rel: "stylesheet", href, crossOrigin: "anonymous" }));
}

/** Resolves when every link has loaded or failed, or after `waitMs`, whichever comes first. */
export function settled(links: readonly EventTarget[], waitMs = STYLESHEET_WAIT_MS): Promise<void> {
  const each = links.map(
    (link) =>
      new Promise<void>((resolve) => {
        link.addEventListener("load", () => resolve(), { once: true });
        link.addEventListener(
          "error",
          () => {
            console.warn("a fragment stylesheet failed to load", (link as HTMLLinkElement).href);
            resolve();
          },
          { once: true },
        );
      }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
  return Promise.race([Promise.all(each).then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
