import { CHART_COLOURS } from '../../platform/views/svg-chart.js';
import { wrapText } from '../../platform/views/wrap-text.js';
import { xmlText as escapeXml } from '../../platform/xml.js';
/** Server-rendered SVG charts: accessible names from <title> and <desc>, and always a table of the same figures beside them. */
export interface ChartBar {
  label: string;
  value: number;
}

export interface ChartOptions {
  /** Unique within the page; used for the title and description ids. */
  id: string;
  title: string;
  description: string;
  bars: readonly ChartBar[];
  format: (value: number) => string;
}

const INK = CHART_COLOURS.ink;
const BAR = CHART_COLOURS.line;
const GRID = CHART_COLOURS.grid;

/** Characters of a bar's label per line: what 19-pixel type fits in the 250-unit label column, even in capitals. */
const LABEL_CHARACTERS = 20;

function frame(options: ChartOptions, width: number, height: number, body: string): string {
  const titleId = `${options.id}-title`;
  const descriptionId = `${options.id}-desc`;
  return (
    `<svg class="commons-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" ` +
    `aria-labelledby="${titleId} ${descriptionId}" font-family="GDS Transport, arial, sans-serif" font-size="14">` +
    `<title id="${titleId}">${escapeXml(options.title)}</title><desc id="${descriptionId}">${escapeXml(options.description)}</desc>` +
    `${body}</svg>`
  );
}

/**
 * Horizontal bars with labels on the left and values on the right: for rankings (suppliers, councils, expense types).
 * A long label wraps onto a second line; one longer still is shortened with "…" and keeps its whole text in a <title>.
 */
export function horizontalBarChart(options: ChartOptions): string {
  // Drawn to sit in half a page column: larger type than the column chart, which spans the page.
  const lineHeight = 22;
  const labelWidth = 250;
  const valueWidth = 170;
  const width = 650;
  const barSpace = width - labelWidth - valueWidth;
  const largest = Math.max(0, ...options.bars.map((bar) => bar.value));
  let y = 4;
  const rows = options.bars
    .map((bar) => {
      const label = wrapText(bar.label, LABEL_CHARACTERS, 2);
      const rowHeight = 14 + label.lines.length * lineHeight;
      const top = y;
      y += rowHeight;
      const middle = top + rowHeight / 2;
      const length = largest > 0 ? Math.max(0, (bar.value / largest) * barSpace) : 0;
      const firstBaseline = middle + 7 - ((label.lines.length - 1) * lineHeight) / 2;
      const lines = label.lines
        .map(
          (line, index) => `<tspan x="${labelWidth - 8}" y="${(firstBaseline + index * lineHeight).toFixed(1)}">${escapeXml(line)}</tspan>`,
        )
        .join('');
      const title = label.shortened ? `<title>${escapeXml(bar.label)}</title>` : '';
      return (
        `<text text-anchor="end" font-size="19" fill="${INK}">${title}${lines}</text>` +
        `<rect x="${labelWidth}" y="${(middle - 12).toFixed(1)}" width="${length.toFixed(1)}" height="24" fill="${BAR}"/>` +
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${(middle + 7).toFixed(1)}" font-size="19" fill="${INK}">${escapeXml(options.format(bar.value))}</text>`
      );
    })
    .join('');
  return frame(options, width, Math.max(y, 40) + 4, rows);
}

/** Vertical columns in time order with the first and last labels and a zero line: for months. */
export function columnChart(options: ChartOptions): string {
  const width = 640;
  const height = 220;
  const top = 24;
  const bottom = 30;
  const left = 8;
  const plotHeight = height - top - bottom;
  const count = Math.max(1, options.bars.length);
  const slot = (width - left * 2) / count;
  const values = options.bars.map((bar) => bar.value);
  const largest = Math.max(0, ...values);
  const smallest = Math.min(0, ...values);
  const span = largest - smallest || 1;
  const zeroY = top + (largest / span) * plotHeight;
  const columns = options.bars
    .map((bar, index) => {
      const x = left + index * slot + slot * 0.1;
      const heightOf = (Math.abs(bar.value) / span) * plotHeight;
      const y = bar.value >= 0 ? zeroY - heightOf : zeroY;
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${heightOf.toFixed(1)}" fill="${BAR}"/>`;
    })
    .join('');
  const first = options.bars[0];
  const last = options.bars[options.bars.length - 1];
  const labels =
    (first ? `<text x="${left}" y="${height - 8}" fill="${INK}">${escapeXml(first.label)}</text>` : '') +
    (last && last !== first
      ? `<text x="${width - left}" y="${height - 8}" text-anchor="end" fill="${INK}">${escapeXml(last.label)}</text>`
      : '') +
    `<text x="${left}" y="16" fill="${INK}">Largest: ${escapeXml(options.format(largest))}</text>`;
  return frame(
    options,
    width,
    height,
    `<line x1="${left}" x2="${width - left}" y1="${zeroY.toFixed(1)}" y2="${zeroY.toFixed(1)}" stroke="${GRID}"/>${columns}${labels}`,
  );
}

/** Pounds without pence for chart labels: £1,234,567. */
export function formatPoundsShort(pence: number): string {
  return (pence / 100).toLocaleString('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
}
