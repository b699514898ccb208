import { svgChart, svgGridRow, svgMeasuredLine, svgTargetLine, svgText } from '../../platform/views/svg-chart.js';
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
  const plot = { left: LEFT, right: WIDTH - RIGHT };
  const parts: string[] = [];
  for (const tick of [0, 25, 50, 75, 100]) parts.push(...svgGridRow(plot, y(tick), `${tick}%`));
  parts.push(...svgTargetLine(plot, y(options.targetPercentage), `Target ${options.targetPercentage}%`));
  parts.push(
    ...svgMeasuredLine(
      points.map((point, index) => ({ x: x(index), y: y(point.percentage), name: `${point.label}: ${point.percentage}%` })),
      { lineFromOnePoint: true },
    ),
  );
  points.forEach((point, index) => {
    parts.push(svgText({ x: x(index).toFixed(1), y: HEIGHT - BOTTOM + 22 }, point.label, { size: 13, anchor: 'middle' }));
  });
  return svgChart({ id, title: options.title, description, width: WIDTH, height: HEIGHT, className: 'app-adoption-chart' }, parts);
}
