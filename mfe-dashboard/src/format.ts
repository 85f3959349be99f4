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
