/**
 * The project's members. Everyone sees who is in it and with which role; owners add people
 * by exact e-mail (or a service account as client:<id>), change roles and remove members
 * (after a confirmation). Every change sends If-Match with the project's version and hands
 * the changed project to onProjectChange; a refusal is shown with its code and request id.
 */
import { hasRole, type FragmentContext } from "@platform/sdk";
import { useMemo, useState } from "react";
import { createProjectsApi } from "../api";
import { ConfirmDialog, type Confirmation } from "../ConfirmDialog";
import { isApiError, problemOf, type Problem } from "../errors";
import { personLabel, useNames } from "../people";
import { ProblemNote } from "../ProblemNote";
import { roleOf, type ProjectOut, type ProjectRole } from "../types";
import { AddMemberForm } from "./AddMemberForm";
import { createMemberApi, type MemberApi } from "./memberApi";
import { Refusal, ROLE_LABELS, ROLES, sortedMembers } from "./members";

export interface MembersPanelProps {
  context: FragmentContext;
  project: ProjectOut;
  onProjectChange(project: ProjectOut): void;
}

export function MembersPanel({ context, project, onProjectChange }: MembersPanelProps) {
  const api = useMemo(() => createProjectsApi(context), [context]);
  const memberApi = useMemo(() => createMemberApi(api.client), [api]);
  const you = context.user?.id;
  const names = useNames(api, project.members.map((m) => m.user_id));
  const labelOf = (id: string) => personLabel(id, you, names);
  const isAdmin = hasRole(context.user, "admin");
  const isOwner = isAdmin || roleOf(project, you) === "owner";
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);

  /** Runs one change; a stale version reloads the project so the list shows what is true now. */
  const change = async (run: () => Promise<ProjectOut>, done: () => string): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setNotice("");
    try {
      onProjectChange(await run());
      setNotice(done());
      return true;
    } catch (error) {
      setProblem(explain(error));
      if (isApiError(error, "VERSION_MISMATCH")) await reload(memberApi, project, onProjectChange);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const askToRemove = (userId: string) => {
    const who = labelOf(userId);
    const self = userId === you;
    setConfirmation({
      title: self ? "Leave this project?" : `Remove ${who}?`,
      body: self ? `You will no longer see ${project.name} unless an owner adds you again.` : `${who} will no longer see ${project.name} or be assignable to its tasks.`,
      action: self ? "Leave" : "Remove",
      run: async () => {
        try {
          onProjectChange(await memberApi.remove(project, userId));
        } catch (error) {
          if (isApiError(error, "VERSION_MISMATCH")) await reload(memberApi, project, onProjectChange);
          throw error;
        }
        setNotice(`${who} was removed.`);
        if (self && !isAdmin) context.navigate(context.basePath);
      },
    });
  };

  return (
    <section className="panel members" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      <ul className="project-list" aria-label="Members of the project">
        {sortedMembers(project.members, labelOf).map((member) => (
          <li key={member.user_id} className="project-item" data-member-id={member.user_id}>
            <span className="member-name">{labelOf(member.user_id)}</span>
            {isOwner ? (
              <span className="actions">
                <select
                  aria-label={`Role of ${labelOf(member.user_id)}`}
                  value={member.role}
                  disabled={busy}
                  onChange={(event) => {
                    const role = event.target.value as ProjectRole;
                    void change(() => memberApi.setRole(project, member.user_id, role), () => `${labelOf(member.user_id)} is now ${ROLE_LABELS[role].toLowerCase()}.`);
                  }}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {ROLE_LABELS[role]}
                    </option>
                  ))}
                </select>
                <button type="button" className="danger" disabled={busy} onClick={() => askToRemove(member.user_id)}>
                  Remove<span className="visually-hidden"> {labelOf(member.user_id)}</span>
                </button>
              </span>
            ) : (
              <span className="member-role">{ROLE_LABELS[member.role]}</span>
            )}
          </li>
        ))}
      </ul>
      <ProblemNote problem={problem} onDismiss={() => setProblem(null)} />
      {isOwner ? (
        <AddMemberForm project={project} memberApi={memberApi} labelOf={labelOf} busy={busy} onAdd={change} />
      ) : (
        <p className="note">Only the project's owners add, change or remove members.</p>
      )}
      {confirmation && <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />}
    </section>
  );
}

/** The server's reason, in words that say what to do next where the code is one we expect. */
export function explain(error: unknown): Problem {
  if (error instanceof Refusal) return error.problem;
  const problem = problemOf(error);
  if (isApiError(error, "LAST_OWNER")) return { ...problem, message: "A project keeps at least one owner: make someone else an owner first." };
  if (isApiError(error, "VERSION_MISMATCH")) return { ...problem, message: "Someone else changed this project's members meanwhile. The list now shows their change; try again if it is still needed." };
  if (isApiError(error, "MEMBER_NOT_FOUND")) return { ...problem, message: "There is no active account or service account with that id." };
  if (isApiError(error, "EMAIL_LOOKUP_NOT_FOUND")) return { ...problem, message: "No active account has that e-mail address. Check the spelling, or ask them to sign up first." };
  if (isApiError(error, "EMAIL_LOOKUP_TOO_MANY")) return { ...problem, message: "Too many look-ups by e-mail for now. Try again in a few minutes." };
  if (isApiError(error, "MEMBER_CHECK_UNAVAILABLE")) return { ...problem, message: "Accounts cannot be checked right now. Try again shortly." };
  return problem;
}

async function reload(memberApi: MemberApi, project: ProjectOut, onProjectChange: (project: ProjectOut) => void) {
  try {
    onProjectChange(await memberApi.project(project.id));
  } catch {
    // The problem shown already says to try again; the next live event or reload catches up.
  }
}
