/** Manifests as the registry sends them (every field of the contract), for the shell's tests. */
import type { Manifest, ManifestFragment } from "./manifest";

/** `name`'s entry with version 1.0.0 on the fragment host, a subtree route and no nav; `over` sets what a test is about. */
export function manifestFragment(name: string, over: Partial<ManifestFragment> = {}): ManifestFragment {
  const version = over.version ?? "1.0.0";
  return {
    name,
    version,
    origin: "http://127.0.0.1:4101",
    entry: `http://127.0.0.1:4101/fragments/${name}/${version}/entry.js`,
    integrity: "sha384-test",
    css: [],
    preload: [],
    routes: [`/${name}/*`],
    nav: null,
    canary: false,
    ...over,
  };
}

export function manifestOf(fragments: ManifestFragment[]): Manifest {
  return { contract: "1", shared: {}, fragments };
}
