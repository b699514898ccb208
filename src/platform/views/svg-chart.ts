import { xmlText } from '../xml.js';

/**
 * The pieces of the platform's server-rendered SVG charts (no script). A chart is a picture of a table the page shows
 * beside it: role="img", a title and a description that states every value, and presentation attributes only, since
 * the Content-Security-Policy allows no inline styles. Coordinates are written as given (round them first).
 */

/** GOV.UK colours: text, the measured line or bars, a target, a planned path, grid lines. */
export const CHART_COLOURS = {
  ink: '#0b0c0c',
  line: '#1d70b8',
  target: '#d4351c',
  path: '#505a5f',
  grid: '#b1b4b6',
} as const;

export interface SvgChartFrame {
  /** Unique within the page: the title's and description's ids start with it. */
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  /** The class the page's stylesheet sizes the chart by. */
  className: string;
}

type Coordinate = number | string;

/** The whole chart: the frame with its accessible name and description, then the body's elements, one per line. */
export function svgChart(frame: SvgChartFrame, body: readonly string[]): string {
  const id = xmlText(frame.id);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-labelledby="${id}-title ${id}-desc" class="${xmlText(frame.className)}" focusable="false">`,
    `<title id="${id}-title">${xmlText(frame.title)}</title>`,
    `<desc id="${id}-desc">${xmlText(frame.description)}</desc>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** A straight line; `dash` is an SVG stroke-dasharray such as "8 6". */
export function svgLine(
  from: { x: Coordinate; y: Coordinate },
  to: { x: Coordinate; y: Coordinate },
  stroke: string,
  strokeWidth: number,
  dash?: string,
): string {
  return `<line x1="${from.x}" x2="${to.x}" y1="${from.y}" y2="${to.y}" stroke="${stroke}" stroke-width="${strokeWidth}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
}

/** Text in the chart's type (Arial, ink), anchored at its start, middle or end. */
export function svgText(at: { x: Coordinate; y: Coordinate }, text: string, options: { size: number; anchor?: 'middle' | 'end' }): string {
  const anchor = options.anchor ? ` text-anchor="${options.anchor}"` : '';
  return `<text x="${at.x}" y="${at.y}"${anchor} font-size="${options.size}" font-family="arial, sans-serif" fill="${CHART_COLOURS.ink}">${xmlText(text)}</text>`;
}

/** A horizontal grid line across the plot with its value written to the left of it. */
export function svgGridRow(plot: { left: number; right: number }, y: Coordinate, label: string): string[] {
  return [
    svgLine({ x: plot.left, y }, { x: plot.right, y }, CHART_COLOURS.grid, 1),
    svgText({ x: plot.left - 8, y: Number(y) + 5 }, label, { size: 14, anchor: 'end' }),
  ];
}

/** The target: a thick dashed red line across the plot, labelled above its right end. */
export function svgTargetLine(plot: { left: number; right: number }, y: number, label: string): string[] {
  return [
    svgLine({ x: plot.left, y }, { x: plot.right, y }, CHART_COLOURS.target, 3, '8 6'),
    svgText({ x: plot.right, y: y - 8 }, label, { size: 14, anchor: 'end' }),
  ];
}

/** The measured figures: a thick line through the points (when there are two or more) and a marker on each, named. */
export function svgMeasuredLine(
  points: readonly { x: number; y: number; name: string }[],
  options: { lineFromOnePoint?: boolean } = {},
): string[] {
  const parts: string[] = [];
  if (points.length > 1 || (options.lineFromOnePoint && points.length === 1)) {
    const through = points.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${CHART_COLOURS.line}" stroke-width="4" points="${through}"/>`);
  }
  for (const point of points) {
    parts.push(
      `<circle cx="${point.x.toFixed(1)}" cy="${point.y.toFixed(1)}" r="5" fill="${CHART_COLOURS.line}" stroke="#ffffff" stroke-width="2"><title>${xmlText(point.name)}</title></circle>`,
    );
  }
  return parts;
}
