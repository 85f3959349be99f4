// Generated from platform_common/manifest_contract.py by `python -m platform_common.manifest_contract`:
// do not edit (a test fails when this file and the models differ).

/** One fragment version this user's page composes. */
export interface ManifestFragment {
  name: string;
  version: string;
  /** Where its entry, stylesheets and modules are served from, checked by the registry; the page's CSP admits it */
  origin: string;
  /** URL of the ES module exporting mount() */
  entry: string;
  /** "sha384-<base64>"; null for a local override */
  integrity: string | null;
  css: ManifestStylesheet[];
  preload: string[];
  /** "/page" or "/subtree/*"; the longest match wins */
  routes: string[];
  nav: Nav | null;
  /** This user is served the canary version */
  canary: boolean;
  /** A developer's local build (no integrity) */
  override?: boolean;
}

/** A stylesheet, pinned like the entry by SRI; null only for a local override's. */
export interface ManifestStylesheet {
  url: string;
  integrity: string | null;
}

export interface Nav {
  label: string;
  icon?: string | null;
  order?: number;
}

/** What the registry tells a shell to compose, for the user asking. */
export interface Manifest {
  /** The fragment contract version */
  contract: string;
  /** npm ranges of the libraries the shell provides through its import map */
  shared: Record<string, string>;
  fragments: ManifestFragment[];
}
