import { useEffect, useState } from "react";
import { StatusSelect } from "./StatusSelect";
import { sameValue } from "./conflict";
import { PRIORITIES, type EditableField, type Member, type TaskFields } from "./types";

export interface FieldInputsProps {
  values: TaskFields;
  members: Member[];
  personOf(id: string | null): string;
  onChange<F extends EditableField>(field: F, value: TaskFields[F]): void;
  /** A new task starts as "To do"; its status is not asked. */
  withStatus: boolean;
  /** Fields someone else changed a moment ago (highlighted). */
  flashing?: ReadonlySet<EditableField>;
}

/** "a, b , a" -> ["a", "b"]: labels as typed, trimmed, once each. */
export function parseLabels(text: string): string[] {
  return [...new Set(text.split(",").map((label) => label.trim()).filter(Boolean))];
}

/** The inputs of a task's fields, shared by the "New task" form and the detail panel. */
export function TaskFieldInputs({ values, members, personOf, onChange, withStatus, flashing }: FieldInputsProps) {
  const flash = (field: EditableField) => (flashing?.has(field) ? "field flash" : "field");
  return (
    <div className="task-fields">
      <label className={flash("title")}>
        Title
        <input value={values.title} required maxLength={500} onChange={(e) => onChange("title", e.target.value)} />
      </label>
      <label className={flash("description")}>
        Description
        <textarea value={values.description} rows={4} maxLength={20000} onChange={(e) => onChange("description", e.target.value)} />
      </label>
      {withStatus && (
        <div className={flash("status")}>
          <StatusSelect value={values.status} onChange={(status) => onChange("status", status)} />
        </div>
      )}
      <label className={flash("priority")}>
        Priority
        <select value={values.priority} onChange={(e) => onChange("priority", e.target.value as TaskFields["priority"])}>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority}
            </option>
          ))}
        </select>
      </label>
      <label className={flash("assignee")}>
        Assignee
        <select value={values.assignee ?? ""} onChange={(e) => onChange("assignee", e.target.value || null)}>
          <option value="">Unassigned</option>
          {members.map((member) => (
            <option key={member.user_id} value={member.user_id}>
              {personOf(member.user_id)}
            </option>
          ))}
        </select>
      </label>
      <label className={flash("labels")}>
        Labels (comma-separated)
        <LabelsInput labels={values.labels} onChange={(labels) => onChange("labels", labels)} />
      </label>
      <label className={flash("due")}>
        Due date
        <input type="date" value={values.due ?? ""} onChange={(e) => onChange("due", e.target.value || null)} />
      </label>
    </div>
  );
}

/** Typed text is kept as typed (a trailing comma included) while it means the same labels. */
function LabelsInput({ labels, onChange }: { labels: string[]; onChange(labels: string[]): void }) {
  const [text, setText] = useState(labels.join(", "));
  useEffect(() => {
    if (!sameValue(parseLabels(text), labels)) setText(labels.join(", "));
  }, [labels]);
  return (
    <input
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseLabels(e.target.value));
      }}
    />
  );
}
