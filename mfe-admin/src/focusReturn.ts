/**
 * Where focus goes back to when a dialog closes. The browser returns it to the element that
 * opened the dialog, but the confirmed change often removes that element ("Activate 1.1.0"
 * once 1.1.0 is active), and then focus falls to the page body. The fragment lives in the
 * shell's shadow root, so everything here looks inside that root, not at
 * document.activeElement (which is only the shadow host).
 */

export interface FocusMemory {
  opener: HTMLElement;
  /** The opener's ancestors when it was focused: once it is removed, it no longer knows them. */
  ancestors: Element[];
  root: Document | ShadowRoot;
}

/** What has focus inside `root` (the fragment's shadow root or the document), and where it sits. */
export function rememberFocus(root: Document | ShadowRoot): FocusMemory | null {
  let opener = root.activeElement;
  while (opener?.shadowRoot?.activeElement) opener = opener.shadowRoot.activeElement;
  if (!(opener instanceof HTMLElement)) return null;
  const ancestors: Element[] = [];
  for (let parent = opener.parentElement; parent; parent = parent.parentElement) ancestors.push(parent);
  return { opener, ancestors, root };
}

/**
 * The element that had focus if it is still on the page; else the heading of the nearest
 * card or section around it that still is (a region labelled by aria-labelledby); else the
 * page's h1.
 */
export function returnTarget({ opener, ancestors, root }: FocusMemory): HTMLElement | null {
  if (opener.isConnected) return opener;
  const region = ancestors.find((element) => element.isConnected && element.hasAttribute("aria-labelledby"));
  const heading = region ? root.getElementById(region.getAttribute("aria-labelledby")!) : root.querySelector("h1");
  if (!(heading instanceof HTMLElement)) return null;
  // A heading takes focus from a script only (not from the Tab key) with tabindex -1.
  if (!heading.hasAttribute("tabindex")) heading.tabIndex = -1;
  return heading;
}

/**
 * Focuses the return target now, and again whenever the page changes within `settleMs` in a
 * way that loses focus (the element holding it removed): the change a dialog confirmed may
 * re-render the page after the dialog has closed. Focus the person moved elsewhere is left
 * alone. Returns a function that stops watching.
 */
export function restoreFocus(memory: FocusMemory, settleMs = 2000): () => void {
  const refocus = () => returnTarget(memory)?.focus();
  refocus();
  const observer = new MutationObserver(() => focusLost(memory.opener.ownerDocument) && refocus());
  observer.observe(memory.root, { childList: true, subtree: true });
  const timer = setTimeout(() => observer.disconnect(), settleMs);
  return () => {
    clearTimeout(timer);
    observer.disconnect();
  };
}

function focusLost(document: Document): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
