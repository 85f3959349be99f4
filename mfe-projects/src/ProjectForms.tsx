import { useId, useState } from "react";
import type { ProjectDraft } from "./api";
import { problemOf, type Problem } from "./errors";
import { KEY_PATTERN, suggestKey } from "./keys";
import { Modal } from "./Modal";
import { ProblemNote } from "./ProblemNote";
import type { ProjectOut } from "./types";

/** "New project": the key follows the name until the person types a key of their own. */
export function NewProjectDialog({ onCreate, onClose }: { onCreate(draft: ProjectDraft): Promise<unknown>; onClose(): void }) {
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [keyTyped, setKeyTyped] = useState(false);
  const [description, setDescription] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const hintId = useId();
  const shownKey = keyTyped ? key : suggestKey(name);
  return (
    <Modal title="New project" onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            await onCreate({ name: name.trim(), key: shownKey, description });
          } catch (error) {
            setProblem(problemOf(error));
            setBusy(false);
          }
        }}
      >
        <label className="field">
          Name
          <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          Key
          <input
            value={shownKey}
            required
            pattern={KEY_PATTERN.source.slice(1, -1)}
            maxLength={10}
            aria-describedby={hintId}
            onChange={(e) => {
              setKeyTyped(true);
              setKey(e.target.value.toUpperCase().replace(/[^A-Z0-9]/g, ""));
            }}
          />
        </label>
        <p id={hintId} className="hint">
          2 to 10 capital letters or digits, starting with a letter; suggested from the name.
        </p>
        <label className="field">
          Description
          <textarea value={description} rows={3} maxLength={5000} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ProblemNote problem={problem} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim() || !KEY_PATTERN.test(shownKey)}>
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** An owner renames or describes a project; a stale version shows the current one to retry from. */
export function EditProjectDialog({ project, onSave, onClose }: { project: ProjectOut; onSave(patch: Pick<ProjectOut, "name" | "description">): Promise<unknown>; onClose(): void }) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title={`Edit ${project.name}`} onClose={onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            await onSave({ name: name.trim(), description });
            onClose();
          } catch (error) {
            setProblem(problemOf(error));
            setBusy(false);
          }
        }}
      >
        <label className="field">
          Name
          <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          Description
          <textarea value={description} rows={3} maxLength={5000} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ProblemNote problem={problem} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
