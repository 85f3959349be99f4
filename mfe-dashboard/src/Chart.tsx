/**
 * Created vs completed per day, drawn with uPlot: about 20 KB gzip for a fast canvas
 * time-series chart with axes, legend and cursor (Chart.js is ~3x that, and we need one
 * line chart). Its stylesheet lives in the fragment's shadow root with the rest of its CSS.
 */
import { useLayoutEffect, useRef } from "react";
import uPlot from "uplot";
import type { DayCount } from "./api";

// Narrow enough for a phone's panel (375 px screen), so the chart never widens the page.
const MIN_WIDTH = 240;

export function FlowChart({ days }: { days: DayCount[] }) {
  const box = useRef<HTMLDivElement>(null);

  // Drawn before the browser paints (a layout effect): the panel is never shown without its
  // chart, so what comes below it does not move down when the chart appears.
  useLayoutEffect(() => {
    const element = box.current!;
    const data: uPlot.AlignedData = [
      days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000),
      days.map((d) => d.created),
      days.map((d) => d.completed),
    ];
    const plot = new uPlot(
      {
        width: Math.max(MIN_WIDTH, element.clientWidth),
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: { x: { time: true } },
        axes: [{ stroke: "#4a5563" }, { stroke: "#4a5563", grid: { stroke: "#e3e7eb" } }],
        series: [
          { label: "Day" },
          { label: "Created", stroke: "#0b5cad", width: 2, fill: "rgba(11, 92, 173, 0.08)" },
          { label: "Completed", stroke: "#1a7f37", width: 2, dash: [6, 3] },
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(MIN_WIDTH, element.clientWidth), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days]);

  const created = days.reduce((sum, d) => sum + d.created, 0);
  const completed = days.reduce((sum, d) => sum + d.completed, 0);
  return (
    <figure className="chart">
      <div ref={box} role="img" aria-label={`Line chart: ${created} tasks created and ${completed} completed over ${days.length} days`} />
      <figcaption>Tasks created (solid) and completed (dashed) per day, UTC.</figcaption>
    </figure>
  );
}
