import { useEffect, useState } from "react";
import { PRIORITIES, STATUSES, STATUS_LABELS, type Member } from "./types";
import { hasFilters, NO_FILTERS, UNASSIGNED, type TaskFilters } from "./view";

/** Typing waits this long before the filter (and the URL) follows. */
export const TYPING_MS = 250;

export interface FiltersProps {
  filters: TaskFilters;
  members: Member[];
  labels: string[];
  personOf(id: string | null): string;
  onChange(filters: TaskFilters): void;
}

export function FiltersBar({ filters, members, labels, personOf, onChange }: FiltersProps) {
  const [text, setText] = useState(filters.q);
  useEffect(() => setText(filters.q), [filters.q]);
  useEffect(() => {
    if (text === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q: text }), TYPING_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const set = <K extends keyof TaskFilters>(key: K, value: TaskFilters[K]) => onChange({ ...filters, [key]: value });

  return (
    <form className="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search tasks
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        Status filter
        <select value={filters.status} onChange={(e) => set("status", e.target.value as TaskFilters["status"])}>
          <option value="">Any</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assignee
        <select value={filters.assignee} onChange={(e) => set("assignee", e.target.value)}>
          <option value="">Anyone</option>
          <option value={UNASSIGNED}>Unassigned</option>
          {members.map((member) => (
            <option key={member.user_id} value={member.user_id}>
              {personOf(member.user_id)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Label
        <select value={filters.label} onChange={(e) => set("label", e.target.value)}>
          <option value="">Any</option>
          {labels.map((label) => (
            <option key={label} value={label}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select value={filters.priority} onChange={(e) => set("priority", e.target.value as TaskFilters["priority"])}>
          <option value="">Any</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority}
            </option>
          ))}
        </select>
      </label>
      <label>
        Due
        <select value={filters.due} onChange={(e) => set("due", e.target.value as TaskFilters["due"])}>
          <option value="">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="week">Within 7 days</option>
          <option value="none">No due date</option>
        </select>
      </label>
      {hasFilters(filters) && (
        <button type="button" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
