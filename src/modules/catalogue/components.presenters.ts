import { DISTRICT_HEX_MAP_FILE, loadHexMap } from '../../platform/views/hex-map.js';
import { type CsvColumn } from '../../platform/http/lists.js';
import { escapeHtml } from './catalogue.markdown.js';
import { ATTACHMENT_LABELS, COST_MODEL_LABELS, FRESHNESS_MONTHS, HOSTING_LABELS, KIND_LABELS, STATUS_LABELS } from './catalogue.labels.js';
import type { ComponentSummary, Stewardship } from './catalogue.types.js';
import { safeExternalUrl } from '../../platform/http/safe-links.js';

export const componentCsvColumns: CsvColumn<ComponentSummary>[] = [
  { header: 'slug', value: (c) => c.slug },
  { header: 'name', value: (c) => c.name },
  { header: 'kind', value: (c) => c.kind },
  { header: 'summary', value: (c) => c.summary },
  { header: 'service_areas', value: (c) => c.serviceAreas },
  { header: 'licence', value: (c) => c.licence },
  { header: 'development_status', value: (c) => c.developmentStatus },
  { header: 'hosting_options', value: (c) => c.hostingOptions },
  { header: 'cost_model', value: (c) => c.costModel },
  { header: 'code_repository_url', value: (c) => c.codeRepositoryUrl },
  { header: 'documentation_url', value: (c) => c.documentationUrl },
  { header: 'maintainers', value: (c) => c.maintainers.map((maintainer) => maintainer.name) },
  { header: 'councils_using', value: (c) => c.adoption.using },
  { header: 'english_councils', value: (c) => c.adoption.councils },
  { header: 'updated_at', value: (c) => c.updatedAt },
];

export const mapLegend = [
  { status: 'using', label: 'Using', className: 'app-hex--using' },
  { status: 'piloting', label: 'Piloting', className: 'app-hex--piloting' },
  { status: 'exploring', label: 'Exploring', className: 'app-hex--exploring' },
  { status: 'retired', label: 'Retired', className: 'app-hex--retired' },
  { status: 'unconfirmed', label: `Unconfirmed (not confirmed for ${FRESHNESS_MONTHS} months)`, className: 'app-hex--unconfirmed' },
];

/** A link to another site; a value that is not an http(s) address is shown as text. */
export const link = (url: string) => {
  const href = safeExternalUrl(url);
  return href ? `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(url)}</a>` : escapeHtml(url);
};
export const explained = (value: string, meaning: string) =>
  `<p class="govuk-body govuk-!-margin-bottom-1">${value}</p><p class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(meaning)}</p>`;

/** The stewardship signals as summary-list rows, each with what it means. */
export function stewardshipRows(stewardship: Stewardship) {
  const names = stewardship.maintainingOrganisations;
  return [
    {
      key: { text: 'Maintaining organisations' },
      value: {
        html: explained(
          `<strong>${names.length}</strong>${names.length > 0 ? `: ${escapeHtml(names.join(', '))}` : ''}`,
          'More than one means the component can survive one of them stepping back.',
        ),
      },
    },
    {
      key: { text: 'Declared funding' },
      value: {
        html: explained(
          stewardship.funding ? escapeHtml(stewardship.funding) : 'None declared',
          'Who pays for the upkeep, as the maintainers say.',
        ),
      },
    },
    {
      key: { text: 'Last release' },
      value: {
        html: explained(
          stewardship.lastReleaseDate
            ? `${formatDate(stewardship.lastReleaseDate)} (${stewardship.releasedWithinYear ? 'within the last 12 months' : 'more than 12 months ago'})`
            : 'Not recorded',
          'A recent release suggests active work; a long gap may mean it is finished, or no longer looked after.',
        ),
      },
    },
    {
      key: { text: 'Last confirmed by an adopter' },
      value: {
        html: explained(
          stewardship.lastConfirmedOn
            ? `${formatDate(stewardship.lastConfirmedOn)}; ${stewardship.confirmedAdopters} organisation${stewardship.confirmedAdopters === 1 ? ' has' : 's have'} a current, confirmed declaration`
            : 'No adopter has confirmed yet',
          `Organisations confirm their declarations at least every ${FRESHNESS_MONTHS} months; older ones stop counting.`,
        ),
      },
    },
  ];
}

export function formatDate(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The component's facts as summary-list rows. */
export function detailRows(card: ReturnType<typeof presentCard>, publisher: { name: string; slug: string; gssCode: string | null } | null) {
  const rows = [
    { key: { text: 'Kind' }, value: { text: card.kindLabel } },
    { key: { text: 'Development status' }, value: { text: card.statusLabel ?? 'Not stated' } },
    { key: { text: 'Service areas' }, value: { text: card.serviceAreaLabels.join(', ') || 'None stated' } },
    { key: { text: 'Licence' }, value: { text: card.licence ?? 'Not recorded' } },
    { key: { text: 'Hosting' }, value: { text: card.hostingLabels.join(', ') || 'Not stated' } },
    { key: { text: 'Cost model' }, value: { text: card.costModelLabel ?? 'Not stated' } },
    { key: { text: 'Standards it supports' }, value: { text: card.supportedStandards.join(', ') || 'None stated' } },
    { key: { text: 'Maintained by' }, value: { text: card.maintainerNames.join(', ') || 'No maintainer named' } },
    {
      key: { text: 'Published here by' },
      value: publisher
        ? {
            html: `<a class="govuk-link" href="/components/reuse-credits/${escapeHtml(publisher.gssCode ?? publisher.slug)}">${escapeHtml(publisher.name)}</a>`,
          }
        : { text: 'Imported by the platform' },
    },
  ];
  if (card.codeRepositoryUrl) rows.push({ key: { text: 'Code repository' }, value: { html: link(card.codeRepositoryUrl) } });
  if (card.documentationUrl) rows.push({ key: { text: 'Documentation' }, value: { html: link(card.documentationUrl) } });
  if (card.landingUrl) rows.push({ key: { text: 'Website' }, value: { html: link(card.landingUrl) } });
  for (const attachment of card.attachmentRows) rows.push({ key: { text: attachment.label }, value: { html: link(attachment.url) } });
  if (card.releaseDate)
    rows.push({
      key: { text: 'Last release' },
      value: { text: `${formatDate(card.releaseDate)}${card.softwareVersion ? ` (${card.softwareVersion})` : ''}` },
    });
  return rows;
}

export function humanise(slug: string): string {
  const text = slug.replace(/[-_]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function presentCard(component: ComponentSummary) {
  return {
    ...component,
    kindLabel: KIND_LABELS[component.kind],
    statusLabel: component.developmentStatus ? STATUS_LABELS[component.developmentStatus] : null,
    hostingLabels: component.hostingOptions.map((option) => HOSTING_LABELS[option]),
    costModelLabel: component.costModel ? COST_MODEL_LABELS[component.costModel] : null,
    serviceAreaLabels: component.serviceAreas.map(humanise),
    attachmentRows: component.attachments.map((attachment) => ({ ...attachment, label: ATTACHMENT_LABELS[attachment.kind] })),
    maintainerNames: component.maintainers.map((maintainer) => maintainer.name),
  };
}

/** England's councils on the district hex map (the map of adoption on a component's page). */
export const englandHexes = () => {
  const map = loadHexMap(DISTRICT_HEX_MAP_FILE);
  return { layout: map.layout, hexes: map.hexes.filter((hex) => hex.code.startsWith('E')) };
};
