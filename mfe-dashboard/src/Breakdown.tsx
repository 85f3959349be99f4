import { useId } from "react";
import { formatCount, label, ranked } from "./format";

/** A count per category as labelled bars; a list, so screen readers read "High: 12". */
export function Breakdown({ title, counts, order, limit, name }: { title: string; counts: Record<string, number>; order?: string[]; limit?: number; name?: (key: string) => string }) {
  const rows = ranked(counts, order).slice(0, limit);
  // An id without spaces: aria-labelledby reads a space-separated list of ids.
  const headingId = useId();
  return (
    <section className="panel breakdown" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {rows.length === 0 ? (
        <p className="empty">Nothing to show.</p>
      ) : (
        <ul>
          {rows.map((row) => (
            <li key={row.key}>
              <span className="bar-label">{name ? name(row.key) : label(row.key)}</span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.round(row.share * 100)}%` }} />
              </span>
              <span className="bar-value">{formatCount(row.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
