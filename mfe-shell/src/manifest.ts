/**
 * The registry's manifest: which fragment versions this user's page composes, for this user
 * (the registry leaves out what their roles do not show). Its types are the SDK's, generated
 * from the one manifest schema (platform_common/manifest_contract.py).
 */
import { CONTRACT_VERSION, type Manifest, type ManifestFragment } from "@platform/sdk";

export type { Manifest, ManifestFragment, ManifestStylesheet } from "@platform/sdk";

export const EMPTY_MANIFEST: Manifest = { contract: CONTRACT_VERSION, shared: {}, fragments: [] };

/**
 * The manifest as JSON arrives (embedded in the page, or from the registry). The gateway and
 * core-api build and check it with the contract's schema; this only guards what the shell
 * needs to route and load, so a malformed entry is left out instead of breaking the page.
 */
export function parseManifest(value: unknown): Manifest {
  if (!value || typeof value !== "object") return EMPTY_MANIFEST;
  const raw = value as Partial<Record<keyof Manifest, unknown>>;
  return {
    contract: typeof raw.contract === "string" ? raw.contract : CONTRACT_VERSION,
    shared: raw.shared && typeof raw.shared === "object" ? (raw.shared as Manifest["shared"]) : {},
    fragments: Array.isArray(raw.fragments) ? raw.fragments.filter(isFragment) : [],
  };
}

function isFragment(value: unknown): value is ManifestFragment {
  if (!value || typeof value !== "object") return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.name === "string" &&
    typeof f.version === "string" &&
    typeof f.entry === "string" &&
    Array.isArray(f.css) &&
    Array.isArray(f.preload) &&
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

export interface NavLink {
  fragment: string;
  label: string;
  icon?: string;
  href: string;
}

/** Top navigation: the fragments with a nav entry, by `order` then label. */
export function navLinks(manifest: Manifest): NavLink[] {
  return manifest.fragments
    .filter((fragment) => fragment.nav)
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
