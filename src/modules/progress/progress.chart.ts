import { CHART_COLOURS, svgChart, svgGridRow, svgLine, svgMeasuredLine, svgTargetLine, svgText } from '../../platform/views/svg-chart.js';
import { yearsBetween } from './progress.rules.js';

const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 56;
const RIGHT = 24;
const TOP = 24;
const BOTTOM = 44;

export interface ChartInput {
  id: string;
  title: string;
  unit: string;
  /** The figures by date, oldest first (snapshots, then today). */
  points: readonly { date: string; label: string; value: number | null }[];
  baseline: { date: string; value: number } | null;
  target: { date: string; value: number } | null;
}

function niceMaximum(value: number): number {
  if (value <= 0) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function format(value: number, unit: string): string {
  const rounded = Math.round(value * 10) / 10;
  return unit === 'percent' ? `${rounded}%` : String(rounded);
}

/**
 * A target's figures over time as a server-rendered SVG (no script): the measured line, the target as a dashed line,
 * and the straight path from the baseline to the target. A picture of the table beside it: role="img", a title and a
 * description stating every value, presentation attributes only (the Content-Security-Policy allows no inline styles).
 */
export function renderTargetChart(input: ChartInput): string {
  const measured = input.points.filter((point): point is { date: string; label: string; value: number } => point.value !== null);
  const start = input.baseline?.date ?? measured[0]?.date ?? input.points[0]?.date ?? input.target?.date ?? '2025-01-01';
  const end = input.target?.date ?? measured.at(-1)?.date ?? start;
  const span = Math.max(yearsBetween(start, end), 0.25);
  const top = niceMaximum(Math.max(input.target?.value ?? 0, input.baseline?.value ?? 0, ...measured.map((point) => point.value)) * 1.05);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (date: string) => LEFT + Math.max(0, Math.min(1, yearsBetween(start, date) / span)) * plotWidth;
  const y = (value: number) => TOP + plotHeight - (Math.max(0, Math.min(top, value)) / top) * plotHeight;
  const description = [
    measured.length === 0
      ? 'No figures yet.'
      : measured.map((point) => `${point.label}: ${format(point.value, input.unit)}`).join('; ') + '.',
    input.baseline ? `Baseline ${format(input.baseline.value, input.unit)} on ${input.baseline.date}.` : '',
    input.target ? `Target ${format(input.target.value, input.unit)} by ${input.target.date}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const plot = { left: LEFT, right: WIDTH - RIGHT };
  const parts: string[] = [];
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const value = top * fraction;
    parts.push(...svgGridRow(plot, y(value).toFixed(1), format(value, input.unit)));
  }
  const firstYear = Number(start.slice(0, 4));
  const lastYear = Number(end.slice(0, 4));
  for (let year = firstYear + 1; year <= lastYear; year += Math.max(1, Math.ceil((lastYear - firstYear) / 6))) {
    parts.push(svgText({ x: x(`${year}-01-01`).toFixed(1), y: HEIGHT - BOTTOM + 22 }, String(year), { size: 13, anchor: 'middle' }));
  }
  if (input.target) {
    const targetY = Number(y(input.target.value).toFixed(1));
    parts.push(...svgTargetLine(plot, targetY, `Target ${format(input.target.value, input.unit)}`));
    if (input.baseline) {
      const from = { x: x(input.baseline.date).toFixed(1), y: y(input.baseline.value).toFixed(1) };
      parts.push(svgLine(from, { x: x(input.target.date).toFixed(1), y: targetY.toFixed(1) }, CHART_COLOURS.path, 2, '2 4'));
    }
  }
  parts.push(
    ...svgMeasuredLine(
      measured.map((point) => ({ x: x(point.date), y: y(point.value), name: `${point.label}: ${format(point.value, input.unit)}` })),
    ),
    svgLine({ x: LEFT, y: HEIGHT - BOTTOM }, { x: WIDTH - RIGHT, y: HEIGHT - BOTTOM }, CHART_COLOURS.ink, 1),
  );
  return svgChart({ id: input.id, title: input.title, description, width: WIDTH, height: HEIGHT, className: 'app-progress-chart' }, parts);
}
