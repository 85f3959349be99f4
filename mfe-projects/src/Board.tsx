import { useId, useLayoutEffect, useRef, useState } from "react";
import { TaskCard, type CardProps } from "./TaskCard";
import { STATUSES, STATUS_LABELS, type Task, type TaskStatus } from "./types";
import { useWindow } from "./windowing";

/** A card's height plus the gap below it, in px (styles.css .card). */
export const CARD_ROW = 156;

type Shared = Omit<CardProps, "task" | "href" | "assignee" | "selected" | "flashing" | "focus" | "onFocused" | "hintId" | "onStep">;

export interface BoardProps extends Shared {
  tasks: Task[];
  hrefOf(task: Task): string;
  assigneeOf(task: Task): string;
  selected: ReadonlySet<string>;
  flashing: ReadonlySet<string>;
}

/**
 * One column per status. Cards move by their Status select, by drag and drop onto a column,
 * or from the keyboard (Alt+ArrowRight / Alt+ArrowLeft); focus follows the moved card.
 */
export function Board(props: BoardProps) {
  const hintId = useId();
  const [focusId, setFocusId] = useState<string | null>(null);
  const byStatus = new Map<TaskStatus, Task[]>(STATUSES.map((status) => [status, []]));
  for (const task of props.tasks) byStatus.get(task.status)!.push(task);

  const step = (task: Task, direction: 1 | -1) => {
    const next = STATUSES[STATUSES.indexOf(task.status) + direction];
    if (!next) return;
    setFocusId(task.id);
    props.onStatus(task, next);
  };

  return (
    <div className="board">
      <p id={hintId} className="visually-hidden">
        Alt+Right arrow and Alt+Left arrow move the task to the next or previous column.
      </p>
      {STATUSES.map((status) => (
        <Column
          key={status}
          status={status}
          tasks={byStatus.get(status)!}
          board={props}
          hintId={hintId}
          focusId={focusId}
          onFocused={() => setFocusId(null)}
          onStep={step}
        />
      ))}
    </div>
  );
}

interface ColumnProps {
  status: TaskStatus;
  tasks: Task[];
  board: BoardProps;
  hintId: string;
  focusId: string | null;
  onFocused(): void;
  onStep(task: Task, direction: 1 | -1): void;
}

function Column({ status, tasks, board, hintId, focusId, onFocused, onStep }: ColumnProps) {
  const headingId = useId();
  const body = useRef<HTMLDivElement>(null);
  const [dropping, setDropping] = useState(false);
  const shown = useWindow(tasks.length, CARD_ROW, body);

  // A card moved here from the keyboard may be outside the rows shown: scroll it into view.
  const focusIndex = focusId ? tasks.findIndex((task) => task.id === focusId) : -1;
  useLayoutEffect(() => {
    if (focusIndex >= 0 && (focusIndex < shown.start || focusIndex >= shown.end) && body.current) body.current.scrollTop = focusIndex * CARD_ROW;
  }, [focusIndex]);

  return (
    <section
      className={`column column-${status}${dropping ? " dropping" : ""}`}
      aria-labelledby={headingId}
      onDragOver={(event) => {
        if (!board.canEdit || !event.dataTransfer.types.includes("text/plain")) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        setDropping(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDropping(false);
        const task = board.tasks.find((t) => t.id === event.dataTransfer.getData("text/plain"));
        if (task) board.onStatus(task, status);
      }}
    >
      <h2 id={headingId}>
        {STATUS_LABELS[status]} <span className="count">{tasks.length}</span>
      </h2>
      <div className="column-body" ref={body}>
        {tasks.length === 0 && <p className="column-empty">No tasks</p>}
        <div style={{ height: shown.before }} />
        {tasks.slice(shown.start, shown.end).map((task) => (
          <TaskCard
            key={task.id}
            task={task}
            href={board.hrefOf(task)}
            assignee={board.assigneeOf(task)}
            canEdit={board.canEdit}
            selected={board.selected.has(task.id)}
            flashing={board.flashing.has(task.id)}
            focus={task.id === focusId}
            hintId={hintId}
            onFocused={onFocused}
            onOpen={board.onOpen}
            onSelect={board.onSelect}
            onStatus={board.onStatus}
            onStep={onStep}
          />
        ))}
        <div style={{ height: shown.after }} />
      </div>
    </section>
  );
}
