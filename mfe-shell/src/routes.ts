/** A fragment owns routes such as "/dashboard/*" (a subtree) or "/settings" (one page). */
export interface RouteOwner {
  name: string;
  routes: string[];
}

export function routeMatches(pattern: string, pathname: string): boolean {
  if (pattern.endsWith("/*")) {
    const base = pattern.slice(0, -2);
    return pathname === base || pathname.startsWith(`${base}/`);
  }
  return pathname === pattern;
}

/** The fragment that owns `pathname`; the longest matching pattern wins. */
export function ownerOf<T extends RouteOwner>(owners: T[], pathname: string): T | undefined {
  let best: { owner: T; length: number } | undefined;
  for (const owner of owners) {
    for (const pattern of owner.routes) {
      if (routeMatches(pattern, pathname) && (!best || pattern.length > best.length)) {
        best = { owner, length: pattern.length };
      }
    }
  }
  return best?.owner;
}

/**
 * A `next` parameter that stays on this site (no open redirect to another origin). It is
 * resolved the way the browser will resolve it: URL parsing drops tabs and newlines, so a
 * prefix check alone would let "/\t/evil.example" through as "//evil.example".
 */
export function safeNext(search: string, fallback = "/"): string {
  const next = new URLSearchParams(search).get("next");
  if (!next?.startsWith("/")) return fallback;
  const base = "https://this.site";
  const url = new URL(next, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

export interface RedirectInput {
  pathname: string;
  search: string;
  signedIn: boolean;
  /** The path is one of the sign-in, sign-up and password pages. */
  isPublicPage: boolean;
  /** A fragment the user may see owns the path. */
  owned: boolean;
  /** The first entry of the top navigation, where "/" leads a signed-in user. */
  firstLink: string | undefined;
}

/** Where a request for this page must go instead, if anywhere. */
export function redirectFor({ pathname, search, signedIn, isPublicPage, owned, firstLink }: RedirectInput): string | null {
  if (signedIn && (pathname === "/login" || pathname === "/register")) return safeNext(search);
  if (signedIn && pathname === "/" && firstLink) return firstLink;
  if (!signedIn && !isPublicPage && !owned) return pathname === "/" ? "/login" : `/login?next=${encodeURIComponent(pathname + search)}`;
  return null;
}

/**
 * What the sign-in page may tell a person. The URL carries only a key: showing free text
 * from the query string would let anyone's link put words in the product's mouth.
 */
const NOTICES = {
  "session-ended": "Your session has ended. Please sign in again.",
  "password-changed": "Your password was changed. Sign in with the new one.",
} as const;

export type SignInNotice = keyof typeof NOTICES;

export function signInPageWith(notice: SignInNotice): string {
  return `/login?notice=${notice}`;
}

export function noticeIn(search: string): string | undefined {
  const key = new URLSearchParams(search).get("notice");
  return key && Object.hasOwn(NOTICES, key) ? NOTICES[key as keyof typeof NOTICES] : undefined;
}
