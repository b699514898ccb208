import type { CsvColumn } from '../../platform/http/lists.js';
import { renderTargetChart } from './progress.chart.js';
import { type BreakdownRow, STATUS_LABELS, type Status } from './progress.rules.js';
import type { HistoryPoint, TargetView } from './progress.service.js';
import type { Unit } from './progress.targets.js';

export const STATUS_TAG_CLASSES: Record<Status, string> = {
  'on-track': 'govuk-tag--green',
  'needs-attention': 'govuk-tag--yellow',
  'off-track': 'govuk-tag--red',
  'not-yet-measured': 'govuk-tag--grey',
};

/** A figure as people read it: "41.2%", "5", "23.4". */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return 'Not yet measured';
  const rounded = Math.round(value * 10) / 10;
  return unit === 'percent' ? `${rounded}%` : rounded.toLocaleString('en-GB');
}

/** "31 March 2030" from YYYY-MM-DD. */
export function longDate(date: string | null | undefined): string {
  if (!date) return '';
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function growthText(value: number | null, compound: boolean, unit: Unit): string | null {
  if (value === null) return null;
  if (compound) return `${Math.round(value * 1000) / 10}% a year`;
  return `${formatValue(value, unit)} a year`;
}

/** What a card and a target page show about one target. */
export function presentTarget(target: TargetView) {
  const { unit } = target;
  return {
    id: target.id,
    title: target.title,
    href: `/progress/targets/${target.id}`,
    status: target.status,
    statusLabel: STATUS_LABELS[target.status],
    statusClass: STATUS_TAG_CLASSES[target.status],
    baseline: target.baseline ? `${formatValue(target.baseline.value, unit)} on ${longDate(target.baseline.date)}` : 'None yet',
    current: target.current ? `${formatValue(target.current.value, unit)} on ${longDate(target.current.date)}` : 'Not yet measured',
    target: target.target
      ? `${formatValue(target.target.value, unit)} by ${longDate(target.target.date)}`
      : 'Set when the data first exists',
    needed: growthText(target.assessment.needed, target.assessment.compound, unit),
    achieved: growthText(target.assessment.achieved, target.assessment.compound, unit),
    trajectory:
      target.assessment.projected === null
        ? 'Not enough history for a trajectory yet'
        : `At the pace so far: ${formatValue(target.assessment.projected, unit)} by ${longDate(target.target?.date)}`,
    fraction:
      target.measurement.numerator !== null && target.measurement.denominator !== null
        ? `${target.measurement.numerator.toLocaleString('en-GB')} of ${target.measurement.denominator.toLocaleString('en-GB')}`
        : null,
    goalNote: target.definition.goalNote,
    method: target.definition.method,
    records: target.definition.records,
    corrections: target.corrections.map((correction) => ({
      ...correction,
      text: `${correction.quarter}: the snapshot says ${formatValue(correction.snapshotValue, unit)}; data corrected later gives ${formatValue(correction.correctedValue, unit)} (noted ${longDate(correction.notedOn)}). The chart and table keep the snapshot.`,
    })),
    history: target.history.map((point) => ({ ...point, text: formatValue(point.value, unit), dateText: longDate(point.date) })),
    chartSvg: renderTargetChart({
      id: `chart-${target.id}`,
      title: `${target.title}: figures by quarter and the target`,
      unit,
      points: target.history.map((point) => ({ date: point.date, label: point.quarter, value: point.value })),
      baseline: target.baseline,
      target: target.target,
    }),
    byRegion: presentBreakdown(target.measurement.byRegion, target.id === 'workforce-under-represented'),
    byCouncilType: presentBreakdown(target.measurement.byCouncilType, false),
    breakdownNote: target.measurement.breakdownNote,
  };
}

function presentBreakdown(rows: readonly BreakdownRow[], indexOnly: boolean) {
  return rows.map((row) => ({
    label: row.label,
    counted: indexOnly ? '' : row.counted.toLocaleString('en-GB'),
    councils: indexOnly ? '' : row.councils.toLocaleString('en-GB'),
    percentage:
      row.percentage === null ? (indexOnly ? 'Hidden or not published' : '–') : indexOnly ? String(row.percentage) : `${row.percentage}%`,
  }));
}

/** The API's shape of a target (the interface others rely on). */
export function targetJson(target: TargetView, rule: string) {
  return {
    id: target.id,
    title: target.title,
    unit: target.unit,
    baseline: { date: target.baseline?.date ?? null, value: target.baseline?.value ?? null },
    current: { date: target.current?.date ?? null, value: target.current?.value ?? null },
    target: { date: target.target?.date ?? null, value: target.target?.value ?? null },
    status: target.status,
    rule,
    history: target.history.map((point) => ({ date: point.date, value: point.value })),
  };
}

export const TARGET_CSV_COLUMNS: CsvColumn<TargetView>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'title', value: (t) => t.title },
  { header: 'unit', value: (t) => t.unit },
  { header: 'baseline_date', value: (t) => t.baseline?.date },
  { header: 'baseline_value', value: (t) => t.baseline?.value },
  { header: 'current_date', value: (t) => t.current?.date },
  { header: 'current_value', value: (t) => t.current?.value },
  { header: 'target_date', value: (t) => t.target?.date },
  { header: 'target_value', value: (t) => t.target?.value },
  { header: 'status', value: (t) => t.status },
];

export const HISTORY_CSV_COLUMNS: CsvColumn<HistoryPoint & { targetId: string }>[] = [
  { header: 'target_id', value: (p) => p.targetId },
  { header: 'date', value: (p) => p.date },
  { header: 'quarter', value: (p) => p.quarter },
  { header: 'value', value: (p) => p.value },
  { header: 'kind', value: (p) => (p.live ? 'live' : 'snapshot') },
];
