/**
 * Placeholder until the Members panel (owners add, change and remove members) lands here:
 * lists the project's members and their roles, read-only.
 */
import type { FragmentContext } from "@platform/sdk";
import type { ProjectOut } from "../types";

export function MembersPanel({ project }: { context: FragmentContext; project: ProjectOut; onProjectChange(project: ProjectOut): void }) {
  return (
    <section className="panel" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <ul>
        {project.members.map((member) => (
          <li key={member.user_id}>
            {member.user_id} – {member.role}
          </li>
        ))}
      </ul>
    </section>
  );
}
