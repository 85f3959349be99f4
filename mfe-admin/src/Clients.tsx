import { useState } from "react";
import { parseList, type AdminApi } from "./api";
import type { Confirmation } from "./ConfirmDialog";
import { errorText } from "./errors";
import { useLoad } from "./useLoad";

export function Clients({ api, confirm }: { api: AdminApi; confirm(c: Confirmation): void }) {
  const { data: clients, error, setError, reload: load } = useLoad(() => api.clients(), [api]);
  const [created, setCreated] = useState<{ client_id: string; client_secret: string } | null>(null);

  return (
    <section aria-labelledby="clients-heading">
      <h2 id="clients-heading">Service accounts</h2>
      <form className="toolbar" onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        try {
          setCreated(await api.createClient(String(form.get("name")), parseList(String(form.get("roles") ?? ""))));
          setError(null);
          void load();
        } catch (reason) {
          setError(errorText(reason));
        }
      }}>
        <label>Name <input name="name" required pattern="[A-Za-z0-9._\-]+" /></label>
        <label>Roles (comma-separated) <input name="roles" placeholder="publisher:dashboard" /></label>
        <button type="submit">Create service account</button>
      </form>
      {created && (
        <div className="secret" role="status">
          <p>Created <strong>{created.client_id}</strong>. Copy its secret now: it is not shown again.</p>
          <code>{created.client_secret}</code>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {clients && clients.length === 0 && <p className="empty">No service accounts yet.</p>}
      {clients && clients.length > 0 && (
        <table>
          <thead><tr><th scope="col">Client id</th><th scope="col">Roles</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {clients.map((client) => (
              <tr key={client.client_id}>
                <td>{client.client_id}</td>
                <td>{client.roles.join(", ") || "–"}</td>
                <td>{client.is_active ? "Active" : "Deactivated"}</td>
                <td>{new Date(client.created_at).toLocaleDateString()}</td>
                <td>
                  {client.is_active && (
                    <button type="button" className="danger" onClick={() => confirm({
                      title: `Deactivate ${client.client_id}?`,
                      body: "Scripts using this account can no longer get tokens, and the tokens they hold stop working within seconds.",
                      action: "Deactivate",
                      run: async () => { await api.deactivateClient(client.client_id); await load(); },
                    })}>Deactivate</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
