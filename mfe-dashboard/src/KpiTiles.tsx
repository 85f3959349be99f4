import { formatCount, type Kpis } from "./format";

/** The key figures; `null` while they load: the same tiles, so nothing moves when they come. */
export function KpiTiles({ tiles }: { tiles: Kpis | null }) {
  const value = (text: (t: Kpis) => string) => (tiles ? text(tiles) : "…");
  return (
    <ul className="kpis" aria-label="Key figures" aria-busy={!tiles}>
      <Tile name="Open" value={value((t) => formatCount(t.open))} id="open" />
      <Tile name="In progress" value={value((t) => formatCount(t.inProgress))} id="in-progress" />
      <Tile name="Done this week" value={value((t) => formatCount(t.doneThisWeek))} id="done-week" />
      <Tile name="Overdue" value={value((t) => formatCount(t.overdue))} id="overdue" warn={!!tiles && tiles.overdue > 0} />
      <Tile name="Median cycle time" value={value((t) => t.medianCycleTime)} id="cycle-time" />
    </ul>
  );
}

function Tile({ name, value, id, warn = false }: { name: string; value: string; id: string; warn?: boolean }) {
  return (
    <li className={`kpi${warn ? " warn" : ""}`} data-kpi={id}>
      <span className="kpi-name" id={`kpi-${id}`}>
        {name}
      </span>
      <span className="kpi-value" aria-labelledby={`kpi-${id}`}>
        {value}
      </span>
    </li>
  );
}
