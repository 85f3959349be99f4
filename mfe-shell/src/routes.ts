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

/** A `next` parameter that stays on this site (no open redirect to another origin). */
export function safeNext(search: string, fallback = "/"): string {
  const next = new URLSearchParams(search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : fallback;
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
