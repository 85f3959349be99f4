import { useMemo, useState } from "react";
import { conflicts, defaultChoices, mergedPatch, overwritePatch, type Side, type StaleEdit } from "./conflict";
import { Modal } from "./Modal";
import { STATUS_LABELS, type EditableField, type Task, type TaskFields, type TaskPatch } from "./types";

export const CONFLICT_TITLE = "This task was changed by someone else";

const FIELD_LABELS: Record<EditableField, string> = {
  title: "Title",
  description: "Description",
  status: "Status",
  priority: "Priority",
  assignee: "Assignee",
  labels: "Labels",
  due: "Due date",
};

export interface ConflictProps {
  edit: StaleEdit;
  personOf(id: string | null): string;
  /** Keep theirs: my change is dropped. */
  onKeepTheirs(theirs: Task): void;
  /** Sends `patch` as a change of their version (If-Match: theirs). */
  onResolve(theirs: Task, patch: TaskPatch): void;
}

/**
 * Their version beside mine, field by field (only the fields that differ), and three ways
 * out: keep theirs, merge per field, or overwrite with mine. Escape does not close it: my
 * change is dropped only when the person chooses "Keep theirs".
 */
export function ConflictDialog({ edit, personOf, onKeepTheirs, onResolve }: ConflictProps) {
  const rows = useMemo(() => conflicts(edit.base, edit.patch, edit.theirs), [edit]);
  const [choices, setChoices] = useState<Record<string, Side>>(() => defaultChoices(rows));
  const show = (field: EditableField, value: TaskFields[EditableField]): string => {
    if (field === "status") return STATUS_LABELS[value as Task["status"]];
    if (field === "assignee") return personOf(value as string | null);
    if (field === "labels") return (value as string[]).join(", ") || "(none)";
    return (value as string | null) || "(empty)";
  };

  return (
    <Modal title={CONFLICT_TITLE} onClose={() => undefined} className="conflict">
      <p>
        Your change was not saved: someone saved version {edit.theirs.version} of “{edit.theirs.title}” after you opened version {edit.base.version}. Compare, then choose.
      </p>
      {rows.length === 0 && <p>Their version already has your change.</p>}
      {rows.map((row) => (
        <fieldset key={row.field} className="conflict-field">
          <legend>
            {FIELD_LABELS[row.field]}
            <span className="hint"> ({row.iChanged && row.theyChanged ? "both changed" : row.iChanged ? "you changed" : "they changed"})</span>
          </legend>
          {(["theirs", "mine"] as const).map((side) => (
            <label key={side} className="choice">
              <input type="radio" name={`conflict-${row.field}`} value={side} checked={choices[row.field] === side} onChange={() => setChoices((old) => ({ ...old, [row.field]: side }))} />
              <span className="side">{side === "theirs" ? "Theirs" : "Mine"}</span>
              <span className="value">{show(row.field, row[side])}</span>
            </label>
          ))}
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" onClick={() => onKeepTheirs(edit.theirs)}>
          Keep theirs
        </button>
        <button type="button" onClick={() => onResolve(edit.theirs, mergedPatch(rows, choices))}>
          Merge
        </button>
        <button type="button" className="primary" onClick={() => onResolve(edit.theirs, overwritePatch(rows))}>
          Overwrite with mine
        </button>
      </div>
    </Modal>
  );
}
