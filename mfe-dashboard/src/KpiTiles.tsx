import { formatCount, type Kpis } from "./format";

export function KpiTiles({ tiles }: { tiles: Kpis }) {
  return (
    <ul className="kpis" aria-label="Key figures">
      <Tile name="Open" value={formatCount(tiles.open)} id="open" />
      <Tile name="In progress" value={formatCount(tiles.inProgress)} id="in-progress" />
      <Tile name="Done this week" value={formatCount(tiles.doneThisWeek)} id="done-week" />
      <Tile name="Overdue" value={formatCount(tiles.overdue)} id="overdue" warn={tiles.overdue > 0} />
      <Tile name="Median cycle time" value={tiles.medianCycleTime} id="cycle-time" />
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
