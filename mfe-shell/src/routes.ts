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
