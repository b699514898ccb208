import { type CsvColumn } from '../../platform/http/lists.js';
import { REUSE_CREDIT_RULES } from './catalogue.labels.js';
import type { ReuseCredits } from './catalogue.types.js';

export const creditCsvColumns: CsvColumn<ReuseCredits>[] = [
  { header: 'organisation', value: (c) => c.organisation.name },
  { header: 'gss_code', value: (c) => c.organisation.gssCode },
  ...REUSE_CREDIT_RULES.map((rule) => ({ header: rule.key, value: (c: ReuseCredits) => c.counts[rule.key] })),
  { header: 'total', value: (c) => c.total },
];
