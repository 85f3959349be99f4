import { useState } from "react";
import { problemOf, type Problem } from "./errors";
import { Modal } from "./Modal";
import { ProblemNote } from "./ProblemNote";
import { TaskFieldInputs } from "./TaskFieldInputs";
import type { EditableField, Member, TaskFields } from "./types";

const EMPTY: TaskFields = { title: "", description: "", status: "todo", priority: "medium", assignee: null, labels: [], due: null };

export function NewTaskDialog(props: { members: Member[]; personOf(id: string | null): string; onCreate(fields: TaskFields): Promise<unknown>; onClose(): void }) {
  const [values, setValues] = useState<TaskFields>(EMPTY);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title="New task" onClose={props.onClose}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          try {
            await props.onCreate({ ...values, title: values.title.trim() });
            props.onClose();
          } catch (error) {
            setProblem(problemOf(error));
            setBusy(false);
          }
        }}
      >
        <TaskFieldInputs
          values={values}
          members={props.members}
          personOf={props.personOf}
          withStatus={false}
          onChange={<F extends EditableField>(field: F, value: TaskFields[F]) => setValues((old) => ({ ...old, [field]: value }))}
        />
        <ProblemNote problem={problem} />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !values.title.trim()}>
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}
