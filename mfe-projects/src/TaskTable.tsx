import { useRef } from "react";
import { StatusSelect } from "./StatusSelect";
import type { Task, TaskStatus } from "./types";
import type { Sort, SortField } from "./view";
import { useWindow } from "./windowing";

/** A row's height in px (styles.css .task-table tr). */
export const ROW_HEIGHT = 52;

const COLUMNS: { field: SortField; label: string }[] = [
  { field: "title", label: "Title" },
  { field: "status", label: "Status" },
  { field: "priority", label: "Priority" },
  { field: "due", label: "Due" },
  { field: "updated", label: "Updated" },
];

export interface TableProps {
  tasks: Task[];
  sort: Sort;
  canEdit: boolean;
  selected: ReadonlySet<string>;
  flashing: ReadonlySet<string>;
  hrefOf(task: Task): string;
  assigneeOf(task: Task): string;
  onSort(sort: Sort): void;
  onOpen(task: Task): void;
  onSelect(task: Task, selected: boolean): void;
  onSelectAll(selected: boolean): void;
  onStatus(task: Task, status: TaskStatus): void;
}

/** The list view: a table sorted by its column headers, with only the rows in view rendered. */
export function TaskTable(props: TableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const shown = useWindow(props.tasks.length, ROW_HEIGHT, scroller);
  const allSelected = props.tasks.length > 0 && props.tasks.every((task) => props.selected.has(task.id));
  const { field, descending } = props.sort;

  const header = (column: (typeof COLUMNS)[number]) => (
    <th key={column.field} scope="col" aria-sort={field === column.field ? (descending ? "descending" : "ascending") : undefined}>
      <button type="button" className="sort" onClick={() => props.onSort({ field: column.field, descending: field === column.field ? !descending : column.field === "updated" })}>
        {column.label}
        <span aria-hidden="true">{field === column.field ? (descending ? " ↓" : " ↑") : ""}</span>
      </button>
    </th>
  );

  return (
    <div className="table-scroll" ref={scroller}>
      <table className="task-table">
        <caption className="visually-hidden">Tasks, {props.tasks.length} shown</caption>
        <thead>
          <tr>
            <th scope="col" className="check">
              <input type="checkbox" aria-label="Select all tasks shown" checked={allSelected} disabled={!props.canEdit} onChange={(e) => props.onSelectAll(e.target.checked)} />
            </th>
            {COLUMNS.slice(0, 2).map(header)}
            <th scope="col">Assignee</th>
            {COLUMNS.slice(2, 4).map(header)}
            <th scope="col">Labels</th>
            {COLUMNS.slice(4).map(header)}
          </tr>
        </thead>
        <tbody>
          {shown.before > 0 && <tr aria-hidden="true" style={{ height: shown.before }} />}
          {props.tasks.slice(shown.start, shown.end).map((task) => (
            <tr key={task.id} data-task-id={task.id} className={props.flashing.has(task.id) ? "flash" : undefined}>
              <td className="check">
                <input type="checkbox" aria-label={`Select "${task.title}"`} checked={props.selected.has(task.id)} disabled={!props.canEdit} onChange={(e) => props.onSelect(task, e.target.checked)} />
              </td>
              <td className="title">
                <a
                  href={props.hrefOf(task)}
                  onClick={(event) => {
                    event.preventDefault();
                    props.onOpen(task);
                  }}
                >
                  {task.title}
                </a>
              </td>
              <td>
                <StatusSelect value={task.status} disabled={!props.canEdit} onChange={(status) => props.onStatus(task, status)} hideLabel />
              </td>
              <td>{props.assigneeOf(task)}</td>
              <td>
                <span className={`priority priority-${task.priority}`}>{task.priority}</span>
              </td>
              <td>{task.due ?? "–"}</td>
              <td>{task.labels.join(", ")}</td>
              <td>{task.updated_at.slice(0, 10)}</td>
            </tr>
          ))}
          {shown.after > 0 && <tr aria-hidden="true" style={{ height: shown.after }} />}
        </tbody>
      </table>
    </div>
  );
}
