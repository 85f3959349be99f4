import { useMemo, useState } from "react";
import type { AdminApi, User } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { errorText } from "./errors";
import { knownRoles, roleChanges } from "./roles";
import { RolesPicker } from "./RolesPicker";
import { useLoad } from "./useLoad";

export function Users({ api, confirm, you }: { api: AdminApi; confirm(c: Confirmation): void; you: string | undefined }) {
  const [q, setQ] = useState("");
  // The cursor of each page shown so far (null: the first), so Previous goes back exactly.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const { data, error, reload: load } = useLoad(() => api.users(q, cursor), [api, q, cursor]);
  // The roles the picker offers: admin, member and the registered fragments' roles.
  const fragments = useLoad(() => api.fragments(), [api]);
  const known = useMemo(() => knownRoles(fragments.data ?? []), [fragments.data]);

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <form role="search" className="toolbar" onSubmit={(e) => { e.preventDefault(); setCursors([null]); setQ(String(new FormData(e.currentTarget).get("q") ?? "")); }}>
        <label>
          Search e-mail or name <input name="q" type="search" defaultValue={q} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {fragments.error && <p className="note">The fragments' roles could not be loaded ({fragments.error}); admin, member and other roles can still be given.</p>}
      {!data && !error && <p role="status">Loading users…</p>}
      {data && data.items.length === 0 && <p className="empty">No users match.</p>}
      {data && data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((user) => (
              <UserRow key={user.id} user={user} isYou={user.id === you} known={known} api={api} confirm={confirm} onChanged={load} />
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="User pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <span>Page {cursors.length}</span>
        {/* Until the next page arrives, data is the page before: its next is the cursor shown. */}
        <button type="button" disabled={!data?.next || data.next === cursor} onClick={() => data?.next && setCursors([...cursors, data.next])}>Next</button>
      </nav>
    </section>
  );
}

function UserRow({ user, isYou, known, api, confirm, onChanged }: { user: User; isYou: boolean; known: readonly string[]; api: AdminApi; confirm(c: Confirmation): void; onChanged(): void }) {
  const [roles, setRoles] = useState(user.roles);
  const [message, setMessage] = useState<string | null>(null);
  const { removed, changed } = roleChanges(user.roles, roles);
  const save = async () => {
    await api.updateUser(user.id, { roles });
    setMessage("Saved");
    onChanged();
  };
  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.full_name ?? "–"}</td>
      <td>
        <form className="inline roles" onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          // Taking a role away (admin above all) is destructive: ask first, as for deactivating.
          if (removed.length > 0) {
            confirm({ title: `Remove ${removed.join(", ")} from ${user.email}?`, body: "They lose what these roles allow.", action: "Remove roles", run: save });
          } else {
            save().catch((error: unknown) => setMessage(errorText(error)));
          }
        }}>
          <RolesPicker owner={user.email} known={known} roles={roles} onChange={(next) => { setRoles(next); setMessage(null); }} />
          <button type="submit" disabled={!changed}>Save roles</button>
          {message && <span role="status" className="note">{message}</span>}
        </form>
      </td>
      <td>{user.is_active ? "Active" : "Deactivated"}</td>
      <td>
        {isYou ? (
          <span className="note">You</span>
        ) : user.is_active ? (
          <button type="button" className="danger" onClick={() => confirm({
            title: `Deactivate ${user.email}?`,
            body: "They are signed out everywhere and cannot sign in until reactivated.",
            action: "Deactivate",
            typeToConfirm: user.email,
            run: async () => { await api.updateUser(user.id, { is_active: false }); onChanged(); },
          })}>Deactivate</button>
        ) : (
          <button type="button" onClick={async () => {
            try {
              await api.updateUser(user.id, { is_active: true });
              onChanged();
            } catch (error) {
              setMessage(errorText(error));
            }
          }}>Reactivate</button>
        )}
      </td>
    </tr>
  );
}
