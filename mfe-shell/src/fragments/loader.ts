/** Loading a fragment's entry through the import map, and telling why it failed. */
import type { FragmentModule } from "@platform/sdk";
import type { ManifestFragment } from "../manifest";

export type FailureKind = "load" | "integrity" | "mount" | "runtime";

export class FragmentError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = "FragmentError";
  }
}

export function specifierOf(name: string): string {
  return `@fragment/${name}`;
}

/** Imports `@fragment/<name>`; the browser checks the import map's integrity for its URL. */
export async function importFragment(
  fragment: ManifestFragment,
  load: (specifier: string) => Promise<unknown> = (specifier) => import(/* @vite-ignore */ specifier),
  probe: typeof fetch = (...args) => fetch(...args),
): Promise<FragmentModule> {
  let module: unknown;
  try {
    module = await load(specifierOf(fragment.name));
  } catch (error) {
    throw await diagnose(fragment, error, probe);
  }
  if (typeof (module as Partial<FragmentModule> | null)?.mount !== "function") {
    throw new FragmentError("mount", `${fragment.name} ${fragment.version} does not export mount(element, context)`);
  }
  return module as FragmentModule;
}

/** A failed module import says little; fetch the entry once to tell a 404 from a bad hash. */
export async function diagnose(fragment: ManifestFragment, error: unknown, probe: typeof fetch): Promise<FragmentError> {
  const what = `${fragment.name} ${fragment.version}`;
  try {
    const response = await probe(fragment.entry, { mode: "cors", cache: "no-store" });
    if (!response.ok) return new FragmentError("load", `${what} could not be loaded: its entry answered ${response.status}`);
    const body = await response.arrayBuffer();
    if (fragment.integrity && !(await matchesIntegrity(body, fragment.integrity))) {
      return new FragmentError("integrity", `${what} failed its integrity check: the file differs from the published one`);
    }
  } catch {
    return new FragmentError("load", `${what} could not be loaded: its host did not answer`);
  }
  return new FragmentError("load", `${what} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
}

/** SRI check of `body` against "sha384-<base64>" (other algorithms are accepted as-is). */
export async function matchesIntegrity(body: ArrayBuffer, integrity: string): Promise<boolean> {
  const [algorithm, expected] = integrity.split(/-(.*)/s);
  const names: Record<string, string> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };
  if (!names[algorithm] || !expected) return true;
  const digest = new Uint8Array(await crypto.subtle.digest(names[algorithm], body));
  return btoa(String.fromCharCode(...digest)) === expected;
}
