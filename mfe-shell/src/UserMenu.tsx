import type { PlatformUser } from "@platform/sdk";
import { useEffect, useRef, useState } from "react";

/** The signed-in user's menu: who they are, their roles, and signing out. */
export function UserMenu({ user, onSignOut }: { user: PlatformUser; onSignOut(): void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent && event.key !== "Escape") return;
      if (event instanceof MouseEvent && menu.current?.parentElement?.contains(event.target as Node)) return;
      setOpen(false);
      if (event instanceof KeyboardEvent) button.current?.focus();
    };
    document.addEventListener("keydown", close);
    document.addEventListener("mousedown", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("mousedown", close);
    };
  }, [open]);

  const name = user.email ?? user.id;
  return (
    <div className="user-menu">
      <button ref={button} type="button" aria-haspopup="menu" aria-expanded={open} aria-controls="user-menu-list" onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden="true">
          {name.charAt(0).toUpperCase()}
        </span>
        <span className="user-name">{name}</span>
      </button>
      {open && (
        <div ref={menu} id="user-menu-list" role="menu" aria-label="Account">
          <p className="menu-info" role="none">
            Signed in as <strong>{name}</strong>
            <br />
            Roles: {user.roles.length ? user.roles.join(", ") : "none"}
          </p>
          <button type="button" role="menuitem" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
