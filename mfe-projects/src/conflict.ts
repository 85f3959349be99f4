/**
 * A stale edit (412 VERSION_MISMATCH): what I changed from the version I started from
 * (`base`), what they saved meanwhile (`theirs`), and the patch each choice sends. Pure, so
 * the rules are tested without a page.
 */
import { EDITABLE, type EditableField, type Task, type TaskFields, type TaskPatch } from "./types";

export type Side = "mine" | "theirs";

export interface FieldConflict {
  field: EditableField;
  mine: TaskFields[EditableField];
  theirs: TaskFields[EditableField];
  iChanged: boolean;
  theyChanged: boolean;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}

/** My whole version of the task: the base with my changes on top. */
export function mineOf(base: TaskFields, patch: TaskPatch): TaskFields {
  return { ...pick(base), ...patch };
}

function pick(task: TaskFields): TaskFields {
  return Object.fromEntries(EDITABLE.map((field) => [field, task[field]])) as unknown as TaskFields;
}

/** The fields where my version and theirs differ, with who changed each since `base`. */
export function conflicts(base: TaskFields, patch: TaskPatch, theirs: TaskFields): FieldConflict[] {
  const mine = mineOf(base, patch);
  return EDITABLE.filter((field) => !sameValue(mine[field], theirs[field])).map((field) => ({
    field,
    mine: mine[field],
    theirs: theirs[field],
    iChanged: !sameValue(mine[field], base[field]),
    theyChanged: !sameValue(theirs[field], base[field]),
  }));
}

/** The merge's starting point: mine where I changed the field, theirs where only they did. */
export function defaultChoices(rows: FieldConflict[]): Record<string, Side> {
  return Object.fromEntries(rows.map((row) => [row.field, row.iChanged ? "mine" : "theirs"]));
}

/** The patch to send (If-Match: their version) for a choice per field; {} keeps theirs. */
export function mergedPatch(rows: FieldConflict[], choices: Record<string, Side>): TaskPatch {
  const patch: Record<string, unknown> = {};
  for (const row of rows) if ((choices[row.field] ?? "mine") === "mine") patch[row.field] = row.mine;
  return patch as TaskPatch;
}

/** "Overwrite with mine": my version of every field that differs. */
export function overwritePatch(rows: FieldConflict[]): TaskPatch {
  return mergedPatch(rows, {});
}

/** The edit a conflict interrupted. */
export interface StaleEdit {
  base: Task;
  patch: TaskPatch;
  theirs: Task;
}
