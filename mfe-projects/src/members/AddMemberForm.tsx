import { useState } from "react";
import type { ProjectOut, ProjectRole } from "../types";
import type { MemberApi } from "./memberApi";
import { memberOf, parseNewcomer, Refusal, ROLE_LABELS, ROLES } from "./members";

interface AddMemberFormProps {
  project: ProjectOut;
  memberApi: MemberApi;
  labelOf(id: string): string;
  busy: boolean;
  /** Runs the change (the panel shows its outcome); resolves to whether it worked. */
  onAdd(run: () => Promise<ProjectOut>, done: () => string): Promise<boolean>;
}

/** "Add member": an exact e-mail address (looked up in auth) or client:<id>, and a role. */
export function AddMemberForm({ project, memberApi, labelOf, busy, onAdd }: AddMemberFormProps) {
  const [who, setWho] = useState("");
  const [role, setRole] = useState<ProjectRole>("editor");

  const add = async () => {
    let name = "";
    const added = await onAdd(
      async () => {
        const newcomer = parseNewcomer(who);
        if (newcomer.kind === "invalid") throw new Refusal({ message: newcomer.message });
        const account = newcomer.kind === "client" ? { id: newcomer.id, display_name: newcomer.id } : await memberApi.findByEmail(newcomer.email);
        name = account.display_name;
        if (memberOf(project, account.id)) {
          throw new Refusal({ message: `${labelOf(account.id)} is already a member: change their role in the list above.` });
        }
        return memberApi.setRole(project, account.id, role);
      },
      () => `${name} was added as ${ROLE_LABELS[role].toLowerCase()}.`,
    );
    if (added) setWho("");
  };

  return (
    <form
      className="filters add-member"
      aria-label="Add member"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <label>
        E-mail or service account
        <input type="text" value={who} required maxLength={320} autoComplete="off" placeholder="name@example.com or client:reporter" onChange={(event) => setWho(event.target.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(event) => setRole(event.target.value as ProjectRole)}>
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {ROLE_LABELS[option]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Add member
      </button>
    </form>
  );
}
