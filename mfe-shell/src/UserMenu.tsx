import type { PlatformUser } from "@platform/sdk";
import { useEffect, useRef, useState } from "react";
import { Link } from "./Link";

/**
 * The signed-in user's menu: who they are (`name`: their display name, else their e-mail),
 * their roles, and signing out. A disclosure (a
 * button that shows a panel), not an ARIA menu: the panel holds text as well as a button,
 * and a menu may hold only menu items.
 */
export function UserMenu({ user, name, onSignOut }: { user: PlatformUser; name: string; onSignOut(): void }) {
  const [open, setOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const closeOutside = (event: Event) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", closeOnEscape);
    document.addEventListener("mousedown", closeOutside);
    document.addEventListener("focusin", closeOutside);
    return () => {
      document.removeEventListener("keydown", closeOnEscape);
      document.removeEventListener("mousedown", closeOutside);
      document.removeEventListener("focusin", closeOutside);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={container}>
      <button ref={button} type="button" aria-expanded={open} aria-controls="user-menu-panel" onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden="true">
          {name.charAt(0).toUpperCase()}
        </span>
        <span className="user-name">{name}</span>
      </button>
      <div id="user-menu-panel" className="user-menu-panel" hidden={!open}>
        <p className="menu-info">
          Signed in as <strong>{name}</strong>
          {user.email && user.email !== name && <span className="menu-email">{user.email}</span>}
          <br />
          Roles: {user.roles.length ? user.roles.join(", ") : "none"}
        </p>
        <Link href="/account" className="menu-link" onClick={() => setOpen(false)}>
          Account
        </Link>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </div>
  );
}
