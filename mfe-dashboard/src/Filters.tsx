import type { Project, StatsFilter } from "./api";
import { Choice } from "./Choice";
import { lastDays } from "./format";

const RANGES = [7, 30, 90];

/** Project and date range of the figures, with quick ranges ending today. */
export function Filters({ filter, projects, today, onChange }: { filter: StatsFilter; projects: Project[]; today: string; onChange(filter: StatsFilter): void }) {
  const options = [{ value: "", label: "All projects" }, ...projects.map((p) => ({ value: p.id, label: p.name }))];
  return (
    <form className="filters" aria-label="Dashboard filters" onSubmit={(e) => e.preventDefault()}>
      <Choice label="Project" value={filter.project} options={options} onChange={(project) => onChange({ ...filter, project })} />
      <label>
        From
        <input type="date" value={filter.from} max={filter.to} required onChange={(e) => e.target.value && onChange({ ...filter, from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={filter.to} min={filter.from} max={today} required onChange={(e) => e.target.value && onChange({ ...filter, to: e.target.value })} />
      </label>
      <div className="presets" role="group" aria-label="Quick ranges">
        {RANGES.map((days) => (
          <button key={days} type="button" aria-pressed={filter.from === lastDays(today, days).from && filter.to === today} onClick={() => onChange({ ...filter, ...lastDays(today, days) })}>
            {days} days
          </button>
        ))}
      </div>
    </form>
  );
}
