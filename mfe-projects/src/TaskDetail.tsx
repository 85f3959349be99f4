import { useEffect, useRef, useState } from "react";
import { sameValue } from "./conflict";
import type { Problem } from "./errors";
import { Modal } from "./Modal";
import { ProblemNote } from "./ProblemNote";
import { TaskFieldInputs } from "./TaskFieldInputs";
import type { Outcome } from "./useTaskActions";
import { EDITABLE, type EditableField, type Member, type Task, type TaskFields, type TaskPatch } from "./types";
import { FLASH_MS } from "./useProjectData";

export interface DetailProps {
  /** The task as held now (live); undefined while loading or once deleted. */
  task: Task | undefined;
  /** True in the render where someone else's change to the task arrived. */
  changedByOthers: boolean;
  loaded: boolean;
  /** Why the last change was refused, shown in the panel (the page behind it is covered). */
  problem: Problem | null;
  members: Member[];
  canEdit: boolean;
  personOf(id: string | null): string;
  onSave(base: Task, patch: TaskPatch): Promise<Outcome>;
  onDelete(task: Task): void;
  onClose(): void;
}

/**
 * Edits every field of a task. Fields the person has not touched follow others' changes live
 * (highlighted); the ones they edit keep their value, and saving sends the version they
 * started from, so a change made meanwhile opens the conflict dialog instead of being lost.
 */
export function TaskDetail(props: DetailProps) {
  const { task } = props;
  const [edits, setEdits] = useState<TaskPatch>({});
  const [base, setBase] = useState<Task | null>(null);
  const [busy, setBusy] = useState(false);
  const flashing = useChangedFields(task, props.changedByOthers);

  if (!task) {
    return (
      <Modal title={props.loaded ? "Task not found" : "Loading task…"} onClose={props.onClose}>
        {props.loaded && <p>This task was deleted, or you cannot see it.</p>}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Close
          </button>
        </div>
      </Modal>
    );
  }

  const values: TaskFields = { ...task, ...edits };
  const changedMeanwhile = base !== null && task.version > base.version;
  const edit = <F extends EditableField>(field: F, value: TaskFields[F]) => {
    setBase((held) => held ?? task);
    setEdits((old) => ({ ...old, [field]: value }));
  };
  const dirty = Object.keys(edits).length > 0;

  return (
    <Modal title="Task details" onClose={props.onClose} className="detail">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!dirty || !base) return props.onClose();
          setBusy(true);
          const outcome = await props.onSave(base, changedFields(base, edits));
          setBusy(false);
          if (outcome === "failed") return;
          setEdits({});
          setBase(null);
        }}
      >
        <fieldset disabled={!props.canEdit} className="plain">
          <TaskFieldInputs values={values} members={props.members} personOf={props.personOf} onChange={edit} withStatus flashing={flashing} />
        </fieldset>
        <ProblemNote problem={props.problem} />
        {changedMeanwhile && (
          <p className="note" role="status">
            Someone else changed this task while you were editing. Saving shows you both versions first.
          </p>
        )}
        <p className="hint">
          Created by {props.personOf(task.created_by)} on {task.created_at.slice(0, 10)} · version {task.version}
        </p>
        <div className="actions">
          {props.canEdit && (
            <button type="button" className="danger" onClick={() => props.onDelete(task)}>
              Delete…
            </button>
          )}
          <span className="spacer" />
          <button type="button" onClick={props.onClose}>
            Close
          </button>
          {props.canEdit && (
            <button type="submit" className="primary" disabled={busy || !dirty}>
              Save
            </button>
          )}
        </div>
      </form>
    </Modal>
  );
}

/** Only what differs from the version edited: an edit typed back to the old value sends nothing. */
function changedFields(base: Task, edits: TaskPatch): TaskPatch {
  return Object.fromEntries(Object.entries(edits).filter(([field, value]) => !sameValue(value, base[field as EditableField]))) as TaskPatch;
}

/** The fields of `task` someone else changed since the last render, for FLASH_MS. */
function useChangedFields(task: Task | undefined, byOthers: boolean): ReadonlySet<EditableField> {
  const previous = useRef(task);
  const [changed, setChanged] = useState<ReadonlySet<EditableField>>(new Set());
  useEffect(() => {
    const before = previous.current;
    previous.current = task;
    if (!byOthers || !before || !task || before.id !== task.id || before.version === task.version) return;
    const fields = EDITABLE.filter((field) => !sameValue(before[field], task[field]));
    if (!fields.length) return;
    setChanged(new Set(fields));
    const timer = setTimeout(() => setChanged(new Set()), FLASH_MS);
    return () => clearTimeout(timer);
  }, [task]);
  return changed;
}
