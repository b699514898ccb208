import { xmlText as escapeXml } from '../../platform/xml.js';
/** One point of the adoption line: a quarter and the share of councils meeting the standard then (0 to 100). */
export interface ChartPoint {
  label: string;
  percentage: number;
}

const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 48;
const RIGHT = 44;
const TOP = 20;
const BOTTOM = 44;
const INK = '#0b0c0c';
const LINE = '#1d70b8';
const TARGET = '#d4351c';
const GRID = '#b1b4b6';

/**
 * A server-rendered SVG line chart of the share of councils meeting a standard per quarter, with the target as a
 * dashed line. It is a picture of the table that pages must show beside it: role="img", a title and a description
 * that states every value, and presentation attributes only (the Content-Security-Policy allows no inline styles).
 */
export function renderAdoptionChart(options: {
  id: string;
  title: string;
  points: readonly ChartPoint[];
  targetPercentage: number;
}): string {
  const { id, points } = options;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) => LEFT + (points.length <= 1 ? plotWidth / 2 : (index * plotWidth) / (points.length - 1));
  const y = (percentage: number) => TOP + plotHeight - (Math.max(0, Math.min(100, percentage)) / 100) * plotHeight;
  const description = `${points.map((point) => `${point.label}: ${point.percentage}%`).join('; ')}. Target: ${options.targetPercentage}%.`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" class="app-adoption-chart" focusable="false">`,
    `<title id="${id}-title">${escapeXml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
  ];
  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(tick)}" y2="${y(tick)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${LEFT - 8}" y="${y(tick) + 5}" text-anchor="end" font-size="14" font-family="arial, sans-serif" fill="${INK}">${tick}%</text>`,
    );
  }
  const target = y(options.targetPercentage);
  parts.push(
    `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${target}" y2="${target}" stroke="${TARGET}" stroke-width="3" stroke-dasharray="8 6"/>`,
    `<text x="${WIDTH - RIGHT}" y="${target - 8}" text-anchor="end" font-size="14" font-family="arial, sans-serif" fill="${INK}">Target ${options.targetPercentage}%</text>`,
  );
  if (points.length > 0) {
    parts.push(
      `<polyline fill="none" stroke="${LINE}" stroke-width="4" points="${points.map((point, index) => `${x(index).toFixed(1)},${y(point.percentage).toFixed(1)}`).join(' ')}"/>`,
    );
  }
  points.forEach((point, index) => {
    parts.push(
      `<circle cx="${x(index).toFixed(1)}" cy="${y(point.percentage).toFixed(1)}" r="5" fill="${LINE}" stroke="#ffffff" stroke-width="2"><title>${escapeXml(`${point.label}: ${point.percentage}%`)}</title></circle>`,
      `<text x="${x(index).toFixed(1)}" y="${HEIGHT - BOTTOM + 22}" text-anchor="middle" font-size="13" font-family="arial, sans-serif" fill="${INK}">${escapeXml(point.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
