/** "3.5 d", "5 h", "40 min": a duration the way a dashboard tile shows it. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds >= 86_400) return `${trim(seconds / 86_400)} d`;
  if (seconds >= 3_600) return `${trim(seconds / 3_600)} h`;
  return `${Math.round(seconds / 60)} min`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, "");
}

const COUNT = new Intl.NumberFormat("en");

/** 1234 -> "1,234". */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "in_progress" -> "In progress". */
export function label(value: string): string {
  const text = value.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A calendar day as the API writes it, "2025-03-14", in UTC like the API. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}

/** The Monday of the week `day` is in. */
export function weekStart(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The last `days` days up to and including `today`. */
export function lastDays(today: string, days: number): { from: string; to: string } {
  return { from: addDays(today, -(days - 1)), to: today };
}

export interface KpiInput {
  by_status: Record<string, number>;
  per_day: { day: string; completed: number }[];
  median_cycle_time_s: number | null;
  overdue: number;
}

export interface Kpis {
  open: number;
  inProgress: number;
  doneThisWeek: number;
  overdue: number;
  medianCycleTime: string;
}

/** The five tiles. "Done this week" counts completions from Monday to `today` within the range. */
export function kpis(stats: KpiInput, today: string): Kpis {
  const monday = weekStart(today);
  const status = (name: string) => stats.by_status[name] ?? 0;
  return {
    open: status("todo") + status("in_progress"),
    inProgress: status("in_progress"),
    doneThisWeek: stats.per_day.filter((d) => d.day >= monday && d.day <= today).reduce((sum, d) => sum + d.completed, 0),
    overdue: stats.overdue,
    medianCycleTime: stats.median_cycle_time_s === null ? "–" : formatDuration(stats.median_cycle_time_s),
  };
}

/** Entries of a count map, largest first, with their share of the largest (for bar widths). */
export function ranked(counts: Record<string, number>, order?: string[]): { key: string; count: number; share: number }[] {
  const keys = order ? [...order, ...Object.keys(counts).filter((k) => !order.includes(k))] : Object.keys(counts);
  const entries = keys.map((key) => ({ key, count: counts[key] ?? 0 }));
  if (!order) entries.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const max = Math.max(1, ...entries.map((e) => e.count));
  return entries.map((e) => ({ ...e, share: e.count / max }));
}

/** How an assignee is shown: "You", their name, or the end of their id when no name is known. */
export function assigneeLabel(id: string, you: string | undefined, names: ReadonlyMap<string, string>): string {
  if (id === you) return "You";
  return names.get(id) ?? `User …${id.slice(-6)}`;
}

/** Which live events change what the dashboard shows. */
export function affectsDashboard(type: string): boolean {
  return type.startsWith("task.") || type.startsWith("project.") || type === "stream.reset";
}
