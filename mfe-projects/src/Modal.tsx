import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal <dialog>: open while mounted. Focus moves into it (showModal) and back to what
 * opened it when it closes, or, when that element is gone (the change removed it), to the
 * page's heading. The fragment lives in a shadow root, so the opener is looked up there.
 */
export function Modal({ title, onClose, children, className }: { title: string; onClose(): void; children: ReactNode; className?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const element = dialog.current!;
    const root = element.getRootNode() as Document | ShadowRoot;
    const opener = root.activeElement instanceof HTMLElement ? root.activeElement : null;
    if (!element.open) element.showModal?.();
    return () => {
      if (element.open) element.close();
      // After React has removed the dialog and re-rendered what the change touched.
      setTimeout(() => {
        const target = opener?.isConnected ? opener : root.querySelector<HTMLElement>("h1");
        if (target && !opener?.isConnected) target.tabIndex = -1;
        target?.focus();
      });
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className={className}
      onCancel={(event) => {
        event.preventDefault();
        close.current();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
