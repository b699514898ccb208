import { xmlText as escapeXml } from '../../platform/xml.js';
import { yearsBetween } from './progress.rules.js';

const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 56;
const RIGHT = 24;
const TOP = 24;
const BOTTOM = 44;
const INK = '#0b0c0c';
const LINE = '#1d70b8';
const TARGET = '#d4351c';
const PATH = '#505a5f';
const GRID = '#b1b4b6';
const FONT = 'font-family="arial, sans-serif" fill="#0b0c0c"';

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
  const id = escapeXml(input.id);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" class="app-progress-chart" focusable="false">`,
    `<title id="${id}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
  ];
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const value = top * fraction;
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${LEFT - 8}" y="${(y(value) + 5).toFixed(1)}" text-anchor="end" font-size="14" ${FONT}>${escapeXml(format(value, input.unit))}</text>`,
    );
  }
  const firstYear = Number(start.slice(0, 4));
  const lastYear = Number(end.slice(0, 4));
  for (let year = firstYear + 1; year <= lastYear; year += Math.max(1, Math.ceil((lastYear - firstYear) / 6))) {
    const at = `${year}-01-01`;
    parts.push(`<text x="${x(at).toFixed(1)}" y="${HEIGHT - BOTTOM + 22}" text-anchor="middle" font-size="13" ${FONT}>${year}</text>`);
  }
  if (input.target) {
    const targetY = y(input.target.value).toFixed(1);
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${targetY}" y2="${targetY}" stroke="${TARGET}" stroke-width="3" stroke-dasharray="8 6"/>`,
      `<text x="${WIDTH - RIGHT}" y="${(Number(targetY) - 8).toFixed(1)}" text-anchor="end" font-size="14" ${FONT}>Target ${escapeXml(format(input.target.value, input.unit))}</text>`,
    );
    if (input.baseline)
      parts.push(
        `<line x1="${x(input.baseline.date).toFixed(1)}" y1="${y(input.baseline.value).toFixed(1)}" x2="${x(input.target.date).toFixed(1)}" y2="${targetY}" stroke="${PATH}" stroke-width="2" stroke-dasharray="2 4"/>`,
      );
  }
  if (measured.length > 1)
    parts.push(
      `<polyline fill="none" stroke="${LINE}" stroke-width="4" points="${measured.map((point) => `${x(point.date).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ')}"/>`,
    );
  for (const point of measured)
    parts.push(
      `<circle cx="${x(point.date).toFixed(1)}" cy="${y(point.value).toFixed(1)}" r="5" fill="${LINE}" stroke="#ffffff" stroke-width="2"><title>${escapeXml(`${point.label}: ${format(point.value, input.unit)}`)}</title></circle>`,
    );
  parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${HEIGHT - BOTTOM}" y2="${HEIGHT - BOTTOM}" stroke="${INK}" stroke-width="1"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}
