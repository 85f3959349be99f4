import { useId } from "react";
import { STATUSES, STATUS_LABELS, type TaskStatus } from "./types";

/** The select every card and row carries; its accessible name is exactly "Status". */
export function StatusSelect({ value, onChange, disabled, hideLabel }: { value: TaskStatus; onChange(status: TaskStatus): void; disabled?: boolean; hideLabel?: boolean }) {
  const id = useId();
  return (
    <span className="status-field">
      <label htmlFor={id} className={hideLabel ? "visually-hidden" : undefined}>
        Status
      </label>
      <select id={id} className={`status-select status-${value}`} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as TaskStatus)}>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {STATUS_LABELS[status]}
          </option>
        ))}
      </select>
    </span>
  );
}
