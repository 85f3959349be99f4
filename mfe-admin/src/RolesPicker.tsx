import { useId, useState } from "react";
import { customRoleProblem, offeredRoles, withoutRole, withRole } from "./roles";

/** The select's value for "Other role…": no role can be named so (roles have no parentheses). */
export const OTHER_ROLE = "(other)";

/**
 * A user's roles as a list with "Remove" buttons, and a select that adds one of the roles the
 * platform knows; "Other role…" opens a text field for a custom role, checked against the
 * auth service's rules before it is added. Nothing is saved here: the row saves the draft.
 */
export function RolesPicker({ owner, known, roles, onChange }: { owner: string; known: readonly string[]; roles: readonly string[]; onChange(roles: string[]): void }) {
  const [typing, setTyping] = useState(false);
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const offered = offeredRoles(known, roles);

  const addTyped = () => {
    const found = customRoleProblem(typed, roles);
    setProblem(found);
    if (found) return;
    onChange(withRole(roles, typed.trim()));
    setTyped("");
    setTyping(false);
  };
  return (
    <div className="roles-picker">
      {roles.length === 0 ? (
        <span className="note">No roles</span>
      ) : (
        <ul className="chips" aria-label={`Roles of ${owner}`}>
          {roles.map((role) => (
            <li key={role} className="chip">
              {role}
              <button type="button" aria-label={`Remove ${role} from ${owner}`} onClick={() => onChange(withoutRole(roles, role))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="visually-hidden" htmlFor={`${id}-add`}>
        Add a role to {owner}
      </label>
      <select
        id={`${id}-add`}
        value=""
        onChange={(e) => {
          const value = e.target.value;
          if (value === OTHER_ROLE) setTyping(true);
          else if (value) onChange(withRole(roles, value));
        }}
      >
        <option value="">Add a role…</option>
        {offered.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
        <option value={OTHER_ROLE}>Other role…</option>
      </select>
      {typing && (
        <span className="other-role">
          <label htmlFor={`${id}-other`}>Other role</label>
          <input
            id={`${id}-other`}
            value={typed}
            autoFocus
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            onChange={(e) => {
              setTyped(e.target.value);
              setProblem(null);
            }}
            onKeyDown={(e) => {
              if (e.key !== "Enter") return;
              e.preventDefault();
              addTyped();
            }}
          />
          <button type="button" onClick={addTyped}>
            Add
          </button>
          {problem && (
            <span id={`${id}-problem`} className="error" role="alert">
              {problem}
            </span>
          )}
        </span>
      )}
    </div>
  );
}
