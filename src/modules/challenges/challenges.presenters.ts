import { type CsvColumn } from '../../platform/http/lists.js';
import { APPROACH_LABELS, BUDGET_BAND_LABELS, SCALE_UNITS, SERVICE_AREA_LABELS, STAGE_LABELS } from './challenges.labels.js';
import type { ChallengeSummary } from './challenges.types.js';
import { BUDGET_BANDS, SERVICE_AREAS } from './challenges.tables.js';

export const csvColumns: CsvColumn<ChallengeSummary>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'title', value: (c) => c.title },
  { header: 'stage', value: (c) => c.stage },
  { header: 'service_area', value: (c) => c.serviceArea },
  { header: 'budget_band', value: (c) => c.budgetBand },
  { header: 'owner', value: (c) => c.owner.name },
  { header: 'owner_code', value: (c) => c.owner.code },
  { header: 'shared_by', value: (c) => c.sharedBy },
  { header: 'scale_by_unit', value: (c) => c.scaleByUnit.map((entry) => `${entry.total} ${entry.unit}`).join('; ') },
  { header: 'stale', value: (c) => c.stale },
  { header: 'created_at', value: (c) => c.createdAt },
  { header: 'updated_at', value: (c) => c.updatedAt },
  { header: 'problem', value: (c) => c.problem },
];

export function options<Key extends string>(labels: Record<Key, string>, keys: readonly Key[], chosen: string | undefined, empty: string) {
  return [{ value: '', text: empty }, ...keys.map((key) => ({ value: key, text: labels[key], selected: key === chosen }))];
}

/** The labels every challenges page is given. */
export const labels = {
  stages: STAGE_LABELS,
  serviceAreas: SERVICE_AREA_LABELS,
  budgetBands: BUDGET_BAND_LABELS,
  approaches: APPROACH_LABELS,
};

/** The choices of the challenge and share forms, with what was chosen. */
export const formOptions = (values: Partial<Record<string, string>>) => ({
  serviceAreaOptions: options(SERVICE_AREA_LABELS, SERVICE_AREAS, values.serviceArea, 'Choose a service area'),
  budgetBandOptions: BUDGET_BANDS.map((band) => ({
    value: band,
    text: BUDGET_BAND_LABELS[band],
    checked: (values.budgetBand || 'unknown') === band,
  })),
  scaleUnitOptions: SCALE_UNITS.map((unit) => ({ value: unit, text: unit, selected: (values.scaleUnit || 'residents') === unit })),
});
