/**
 * A fragment's stylesheets (the manifest's `css`), linked inside its shadow root. The page's
 * CSP admits stylesheets only as files from the fragment origins, never inline <style>, so
 * this is how a fragment's CSS reaches it. Each is pinned by its published integrity (SRI,
 * like the entry; an override's local build has none, like its entry): the browser refuses to
 * apply one whose bytes differ, and the fragment then fails with an integrity error instead of
 * running unstyled. The fragment is mounted once they
 * have loaded, so it is never shown unstyled; one whose host fails or hangs is not waited for
 * longer than needed.
 */
import type { ManifestFragment, ManifestStylesheet } from "../manifest";
import { FragmentError, matchesIntegrity } from "./loader";

export const STYLESHEET_WAIT_MS = 5_000;

export interface FragmentStylesheets {
  links: HTMLLinkElement[];
  /** One per link: resolves when it loaded or could not be fetched, rejects with an
   * "integrity" FragmentError when the browser refused its bytes. */
  loads: Promise<void>[];
}

/** The links to put in the fragment's shadow root, and how each of them ends. */
export function fragmentStylesheets(
  fragment: ManifestFragment,
  doc: Document = document,
  probe: typeof fetch = (...args) => fetch(...args),
): FragmentStylesheets {
  const sheets = linkable(fragment);
  const links = stylesheetLinks(sheets, doc);
  const what = `${fragment.name} ${fragment.version}`;
  return { links, loads: links.map((link, index) => stylesheetLoaded(link, sheets[index], what, probe)) };
}

/** Only stylesheets carrying an integrity are linked: CSS nobody verified can read the page
 * (attribute selectors with background URLs), so it is left out rather than trusted. The one
 * exception is an override's (integrity null): like its entry, it is the developer's own local
 * build, admitted by a signed, expiring override for that developer only. */
function linkable(fragment: ManifestFragment): ManifestStylesheet[] {
  const sheets: unknown[] = Array.isArray(fragment.css) ? fragment.css : [];
  return sheets.filter((sheet): sheet is ManifestStylesheet => {
    const { url, integrity } = (sheet ?? {}) as Partial<ManifestStylesheet>;
    const pinned = typeof integrity === "string" && integrity !== "";
    const ok = typeof url === "string" && (pinned || (fragment.override === true && integrity === null));
    if (!ok) console.warn(`${fragment.name} ${fragment.version}: a stylesheet without integrity is not linked`, sheet);
    return ok;
  });
}

/** Fetched with CORS, like the fragment's modules: SRI needs it for cross-origin files, its
 * rules stay readable to the page's scripts (accessibility checkers among them) and the
 * gateway's preload (same mode, same integrity) is reused. */
export function stylesheetLinks(sheets: readonly ManifestStylesheet[], doc: Document = document): HTMLLinkElement[] {
  return sheets.map(({ url, integrity }) => {
    const link = Object.assign(doc.createElement("link"), { rel: "stylesheet", href: url, crossOrigin: "anonymous" });
    if (integrity) link.integrity = integrity;
    return link;
  });
}

/** How one linked stylesheet ends. A link's error event does not say why, so the file is
 * fetched once more to tell a refused integrity (reject) from a host that failed (resolve,
 * with a warning: the fragment is then shown without it, as before). */
export function stylesheetLoaded(
  link: EventTarget,
  sheet: ManifestStylesheet,
  what: string,
  probe: typeof fetch = (...args) => fetch(...args),
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener("error", () => void diagnose(sheet, what, probe).then(resolve, reject), { once: true });
  });
}

async function diagnose(sheet: ManifestStylesheet, what: string, probe: typeof fetch): Promise<void> {
  let body: ArrayBuffer | null = null;
  try {
    const response = await probe(sheet.url, { mode: "cors", cache: "no-store" });
    if (response.ok) body = await response.arrayBuffer();
  } catch {
    body = null; // the host did not answer: a load failure, not a tampered file
  }
  if (body && sheet.integrity && !(await matchesIntegrity(body, sheet.integrity))) {
    throw new FragmentError("integrity", `${what} failed its integrity check: its stylesheet ${sheet.url} differs from the published one`);
  }
  console.warn("a fragment stylesheet failed to load", sheet.url);
}

/** Resolves when every stylesheet has ended, or after `waitMs`, whichever comes first;
 * rejects as soon as one is refused for its integrity within that time. */
export function settled(loads: readonly Promise<void>[], waitMs = STYLESHEET_WAIT_MS): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
  return Promise.race([Promise.all(loads).then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
