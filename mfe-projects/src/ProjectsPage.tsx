import { hasRole, type FragmentContext } from "@platform/sdk";
import { useEffect, useState } from "react";
import type { ProjectDraft, ProjectsApi } from "./api";
import { ConfirmDialog, type Confirmation } from "./ConfirmDialog";
import { isApiError, problemOf, type Problem } from "./errors";
import { ProblemNote } from "./ProblemNote";
import { EditProjectDialog, NewProjectDialog } from "./ProjectForms";
import { projectPath, replaceSearch } from "./route";
import { roleOf, type ProjectOut } from "./types";
import { TYPING_MS } from "./FiltersBar";

interface Listing {
  items: ProjectOut[];
  next: string | null;
}

function searchWith(params: Record<string, string>): string {
  const search = new URLSearchParams(params);
  for (const [key, value] of [...search]) if (!value) search.delete(key);
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** The caller's projects, a page at a time, searched by name; `?new=1` opens "New project". */
export function ProjectsPage({ api, context, search }: { api: ProjectsApi; context: FragmentContext; search: string }) {
  const params = new URLSearchParams(search);
  const [text, setText] = useState(params.get("q") ?? "");
  const [q, setQ] = useState(text);
  const [listing, setListing] = useState<Listing | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [creating, setCreating] = useState(params.get("new") === "1");
  const [editing, setEditing] = useState<ProjectOut | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const you = context.user?.id;
  const admin = hasRole(context.user, "admin");

  useEffect(() => {
    if (new URLSearchParams(search).get("new") === "1") setCreating(true);
  }, [search]);
  useEffect(() => {
    const timer = setTimeout(() => setQ(text), TYPING_MS);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => {
    if (location.pathname === context.basePath) replaceSearch(searchWith({ q: q.trim(), new: creating ? "1" : "" }));
  }, [q, creating, context.basePath]);
  useEffect(() => {
    const abort = new AbortController();
    api.projects(q, null, abort.signal).then(
      (page) => {
        setListing(page);
        setProblem(null);
      },
      (error: unknown) => !abort.signal.aborted && setProblem(problemOf(error)),
    );
    return () => abort.abort();
  }, [api, q]);

  const more = async () => {
    if (!listing?.next) return;
    try {
      const page = await api.projects(q, listing.next);
      setListing({ items: [...listing.items, ...page.items], next: page.next });
    } catch (error) {
      setProblem(problemOf(error));
    }
  };
  const replace = (project: ProjectOut) => setListing((old) => old && { ...old, items: old.items.map((p) => (p.id === project.id ? project : p)) });
  const create = async (draft: ProjectDraft) => {
    const project = await api.createProject(draft);
    setCreating(false);
    context.navigate(projectPath(context.basePath, project.id));
  };
  const save = async (project: ProjectOut, patch: Pick<ProjectOut, "name" | "description">) => {
    try {
      replace(await api.updateProject(project, patch));
    } catch (error) {
      // The next save starts from the version someone else saved, which the list now shows.
      if (isApiError(error, "VERSION_MISMATCH")) replace(await api.project(project.id));
      throw error;
    }
  };
  const askDelete = (project: ProjectOut) =>
    setConfirmation({
      title: `Delete ${project.name}?`,
      body: "The project and all its tasks are deleted for every member. This cannot be undone.",
      action: "Delete project",
      run: async () => {
        await api.deleteProject(project);
        setListing((old) => old && { ...old, items: old.items.filter((p) => p.id !== project.id) });
      },
    });

  const none = listing !== null && listing.items.length === 0;
  return (
    <div className="projects">
      <header className="head">
        <h1>Projects</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New project
        </button>
      </header>
      <form role="search" aria-label="Projects" className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search projects by name
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </form>
      <ProblemNote problem={problem} />
      {listing === null && !problem && <p role="status">Loading projects…</p>}
      {none && !q && (
        <div className="empty-state">
          <p>You are not in any project yet. A project holds your team's tasks on a board and in a list.</p>
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create your first project
          </button>
        </div>
      )}
      {none && q && <p className="empty">No project’s name matches “{q}”.</p>}
      {listing && listing.items.length > 0 && (
        <ul className="project-list">
          {listing.items.map((project) => {
            const role = roleOf(project, you);
            const owns = role === "owner" || admin;
            return (
              <li key={project.id} className="project-item">
                <div>
                  <a
                    className="project-name"
                    href={projectPath(context.basePath, project.id)}
                    onClick={(event) => {
                      event.preventDefault();
                      context.navigate(projectPath(context.basePath, project.id));
                    }}
                  >
                    {project.name}
                  </a>{" "}
                  <span className="key">{project.key}</span>
                  <p className="hint">
                    {role ? `Your role: ${role}` : "Admin access"} · {project.members.length} member{project.members.length === 1 ? "" : "s"}
                  </p>
                  {project.description && <p className="description">{project.description}</p>}
                </div>
                {owns && (
                  <div className="row-actions">
                    <button type="button" aria-label={`Edit ${project.name}`} onClick={() => setEditing(project)}>
                      Edit
                    </button>
                    <button type="button" className="danger" aria-label={`Delete ${project.name}`} onClick={() => askDelete(project)}>
                      Delete
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {listing?.next && (
        <button type="button" onClick={more}>
          Show more projects
        </button>
      )}
      {creating && <NewProjectDialog onCreate={create} onClose={() => setCreating(false)} />}
      {editing && <EditProjectDialog project={editing} onSave={(patch) => save(listing?.items.find((p) => p.id === editing.id) ?? editing, patch)} onClose={() => setEditing(null)} />}
      {confirmation && <ConfirmDialog confirmation={confirmation} onDone={() => setConfirmation(null)} />}
    </div>
  );
}
