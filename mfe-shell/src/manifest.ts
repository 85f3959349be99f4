/** The registry's manifest: which fragment versions this user's page composes. */
import type { PlatformUser } from "@platform/sdk";
import { CONTRACT_VERSION } from "@platform/sdk";

export interface NavEntry {
  label: string;
  /** The registry sends null when a fragment names no icon. */
  icon?: string | null;
  order?: number;
}

/** A stylesheet of a fragment, pinned like its entry by SRI ("sha384-<base64>"). Only an
 * overridden fragment's (a developer's local build, like its entry) has none: null. */
export interface ManifestStylesheet {
  url: string;
  integrity: string | null;
}

export interface ManifestFragment {
  name: string;
  version: string;
  entry: string;
  /** null for a local override (a developer's build, checked by nothing). */
  integrity?: string | null;
  css?: ManifestStylesheet[];
  preload?: string[];
  routes: string[];
  nav?: NavEntry | null;
  canary?: boolean;
  /** A local override (docs/fragments.md §6): entry and stylesheets come without integrity. */
  override?: boolean;
  /** Present when the registry tells which roles see it; "public" means everyone. */
  roles?: string[];
}

export interface Manifest {
  contract: string;
  shared?: Record<string, string>;
  fragments: ManifestFragment[];
}

export const EMPTY_MANIFEST: Manifest = { contract: CONTRACT_VERSION, fragments: [] };

/** Checks the shape of untrusted JSON; drops fragments that are not usable, keeps the rest. */
export function parseManifest(value: unknown): Manifest {
  if (!value || typeof value !== "object") return EMPTY_MANIFEST;
  const raw = value as { contract?: unknown; shared?: unknown; fragments?: unknown };
  const fragments = Array.isArray(raw.fragments) ? raw.fragments.filter(isFragment) : [];
  return {
    contract: typeof raw.contract === "string" ? raw.contract : CONTRACT_VERSION,
    shared: raw.shared && typeof raw.shared === "object" ? (raw.shared as Record<string, string>) : undefined,
    fragments,
  };
}

function isFragment(value: unknown): value is ManifestFragment {
  if (!value || typeof value !== "object") return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.name === "string" &&
    typeof f.version === "string" &&
    typeof f.entry === "string" &&
    Array.isArray(f.routes) &&
    f.routes.every((route) => typeof route === "string" && route.startsWith("/"))
  );
}

/** The manifest the gateway embedded in the page, if any. */
export function readEmbeddedManifest(doc: Document): Manifest | null {
  const script = doc.getElementById("platform-manifest");
  if (!script?.textContent) return null;
  try {
    return parseManifest(JSON.parse(script.textContent));
  } catch {
    return null;
  }
}

export function visibleTo(fragment: ManifestFragment, user: PlatformUser | null): boolean {
  if (!fragment.roles) return true;
  if (fragment.roles.includes("public")) return true;
  if (!user) return false;
  return user.roles.includes("admin") || fragment.roles.some((role) => user.roles.includes(role));
}

export interface NavLink {
  fragment: string;
  label: string;
  icon?: string;
  href: string;
}

/** Top navigation: fragments with a nav entry the user may see, by `order` then label. */
export function navLinks(manifest: Manifest, user: PlatformUser | null): NavLink[] {
  return manifest.fragments
    .filter((fragment) => fragment.nav && visibleTo(fragment, user))
    .sort((a, b) => (a.nav!.order ?? 100) - (b.nav!.order ?? 100) || a.nav!.label.localeCompare(b.nav!.label))
    .map((fragment) => ({ fragment: fragment.name, label: fragment.nav!.label, icon: fragment.nav!.icon ?? undefined, href: basePath(fragment) }));
}

/** "/dashboard/*" -> "/dashboard": where the fragment's pages start. */
export function basePath(fragment: ManifestFragment): string {
  const first = fragment.routes[0] ?? "/";
  return first.endsWith("/*") ? first.slice(0, -2) || "/" : first;
}

/** Whether two manifests load the same code (the import map the page has depends on it). */
export function sameFragments(a: Manifest, b: Manifest): boolean {
  const key = (m: Manifest) =>
    m.fragments
      .map((f) => `${f.name}@${f.version}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}
