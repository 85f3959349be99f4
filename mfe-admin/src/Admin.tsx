import { hasRole, SHELL_EVENTS, type FragmentContext } from "@platform/sdk";
import { useEffect, useMemo, useState } from "react";
import { createAdminApi, sectionOf } from "./api";
import { Audit } from "./Audit";
import { Clients } from "./Clients";
import { ConfirmDialog, type Confirmation } from "./ConfirmDialog";
import { Fragments } from "./Fragments";
import { Users } from "./Users";

const SECTIONS = ["users", "clients", "fragments", "audit"] as const;
const TITLES: Record<(typeof SECTIONS)[number], string> = { users: "Users", clients: "Service accounts", fragments: "Fragments", audit: "Audit log" };

export function Admin({ context }: { context: FragmentContext }) {
  const api = useMemo(() => createAdminApi(context), [context]);
  const [pathname, setPathname] = useState(location.pathname);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [fragmentChanges, setFragmentChanges] = useState(0);
  useEffect(() => context.events.subscribe<{ pathname: string }>(SHELL_EVENTS.routeChanged, (route) => setPathname(route.pathname)), [context]);

  // Another admin's (or the health gate's) registry changes show without a reload.
  useEffect(() => {
    const abort = new AbortController();
    void api.events((event) => event.type.startsWith("fragment.") && setFragmentChanges((n) => n + 1), abort.signal);
    return () => abort.abort();
  }, [api]);

  if (!hasRole(context.user, "admin")) {
    return (
      <div className="admin">
        <h1>Administration</h1>
        <p role="alert">Only administrators can use this page.</p>
      </div>
    );
  }
  const section = sectionOf(pathname, context.basePath, SECTIONS);
  return (
    <div className="admin">
      <h1>Administration</h1>
      <nav aria-label="Administration">
        <ul className="tabs">
          {SECTIONS.map((name) => (
            <li key={name}>
              <a
                href={`${context.basePath}/${name}`}
                aria-current={name === section ? "page" : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  context.navigate(`${context.basePath}/${name}`);
                }}
              >
                {TITLES[name]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === "users" && <Users api={api} confirm={setConfirmation} you={context.user?.id} />}
      {section === "clients" && <Clients api={api} confirm={setConfirmation} />}
      {section === "fragments" && <Fragments api={api} confirm={setConfirmation} refreshKey={fragmentChanges} />}
      {section === "audit" && <Audit api={api} />}
      <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />
    </div>
  );
}
