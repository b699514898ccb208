import { type CsvColumn } from '../../platform/http/lists.js';
import { ADOPTION_LABELS, EVIDENCE_LABELS } from './catalogue.labels.js';
import type { AdoptionSummary, Declaration } from './catalogue.types.js';

export const declarationCsvColumns: CsvColumn<Declaration>[] = [
  { header: 'organisation', value: (d) => d.organisation.name },
  { header: 'gss_code', value: (d) => d.organisation.gssCode },
  { header: 'status', value: (d) => d.status },
  { header: 'counted_as', value: (d) => d.freshness },
  { header: 'counts_towards_register', value: (d) => d.countsTowardsRegister },
  { header: 'since', value: (d) => d.since },
  { header: 'evidence_kind', value: (d) => d.evidenceKind },
  { header: 'evidence', value: (d) => d.evidence },
  { header: 'contact_name', value: (d) => d.contactName },
  { header: 'contact_email', value: (d) => d.contactEmail },
  { header: 'last_confirmed', value: (d) => d.confirmedOn },
];

export function presentAdoption(summary: AdoptionSummary) {
  return {
    using: summary.using,
    councils: summary.councils,
    piloting: summary.piloting,
    exploring: summary.exploring,
    retired: summary.retired,
    unconfirmed: summary.unconfirmed,
    notCounted: summary.notCounted,
    byRegion: summary.byRegion,
    byCouncilType: summary.byCouncilType,
  };
}

export function presentDeclaration(declaration: Declaration) {
  return {
    ...declaration,
    statusLabel: ADOPTION_LABELS[declaration.status],
    freshnessLabel: ADOPTION_LABELS[declaration.freshness],
    evidenceLabel: EVIDENCE_LABELS[declaration.evidenceKind],
    evidenceIsLink: declaration.evidenceKind === 'service-url',
  };
}
