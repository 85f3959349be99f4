import { useEffect, useRef, type KeyboardEvent } from "react";
import { StatusSelect } from "./StatusSelect";
import type { Task, TaskStatus } from "./types";

export interface CardProps {
  task: Task;
  href: string;
  assignee: string;
  canEdit: boolean;
  selected: boolean;
  flashing: boolean;
  /** Take focus once rendered (after a keyboard move brought the card into another column). */
  focus: boolean;
  hintId: string;
  onFocused(): void;
  onOpen(task: Task): void;
  onSelect(task: Task, selected: boolean): void;
  onStatus(task: Task, status: TaskStatus): void;
  /** Alt+ArrowRight / Alt+ArrowLeft: the next or previous column. */
  onStep(task: Task, step: 1 | -1): void;
}

const today = () => new Date().toISOString().slice(0, 10);

export function TaskCard(props: CardProps) {
  const { task, canEdit, selected, flashing } = props;
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (!props.focus) return;
    link.current?.focus();
    props.onFocused();
  }, [props.focus]);

  const keys = (event: KeyboardEvent) => {
    if (!canEdit || !event.altKey || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) return;
    if ((event.target as HTMLElement).tagName === "SELECT") return;
    event.preventDefault();
    props.onStep(task, event.key === "ArrowRight" ? 1 : -1);
  };
  const overdue = task.due !== null && task.due < today() && (task.status === "todo" || task.status === "in_progress");

  return (
    <article
      className={`card${selected ? " selected" : ""}${flashing ? " flash" : ""}`}
      data-task-id={task.id}
      draggable={canEdit}
      onDragStart={(event) => {
        event.dataTransfer.setData("text/plain", task.id);
        event.dataTransfer.effectAllowed = "move";
      }}
      onKeyDown={keys}
    >
      <div className="card-top">
        <input type="checkbox" checked={selected} disabled={!canEdit} aria-label={`Select "${task.title}"`} onChange={(e) => props.onSelect(task, e.target.checked)} />
        <a
          ref={link}
          className="card-title"
          href={props.href}
          aria-describedby={canEdit ? props.hintId : undefined}
          onClick={(event) => {
            event.preventDefault();
            props.onOpen(task);
          }}
        >
          {task.title}
        </a>
      </div>
      <p className="card-meta">
        <span className={`priority priority-${task.priority}`}>{task.priority}</span>
        <span className="assignee">{props.assignee}</span>
        {task.due && <span className={overdue ? "due overdue" : "due"}>Due {task.due}</span>}
        {task.labels.slice(0, 3).map((label) => (
          <span key={label} className="label">
            {label}
          </span>
        ))}
      </p>
      <StatusSelect value={task.status} disabled={!canEdit} onChange={(status) => props.onStatus(task, status)} />
    </article>
  );
}
