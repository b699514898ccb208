import path from 'node:path';
import { DEFAULT_LIMITS, type Limits } from '../../platform/limits.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { describeAccess } from '../../platform/http/access.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { buildPagination, type CsvColumn, pageQuerySchema, queryString, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { DISTRICT_HEX_MAP_FILE, loadHexMap, renderHexMap } from '../../platform/views/hex-map.js';
import { requireApiWriter, requireOrganisationMember, requireSignedIn } from '../identity/index.js';
import { escapeHtml, renderMarkdown } from './catalogue.markdown.js';
import {
  ADOPTION_LABELS,
  type AdoptionInput,
  type AdoptionSummary,
  ATTACHMENT_LABELS,
  type CatalogueService,
  type Component,
  type ComponentInput,
  type ComponentQuery,
  type ComponentSummary,
  COST_MODEL_LABELS,
  type Declaration,
  EVIDENCE_LABELS,
  FRESHNESS_MONTHS,
  HOSTING_LABELS,
  KIND_LABELS,
  MAX_COMPARED,
  type PubliccodeImportOutcome,
  REUSE_CREDIT_RULES,
  type ReuseCredits,
  STATUS_LABELS,
  type Stewardship,
} from './catalogue.service.js';
import { ADOPTION_STATUSES, COMPONENT_KINDS, COST_MODELS, EVIDENCE_KINDS, HOSTING_OPTIONS } from './catalogue.tables.js';
import { developmentStatuses } from './publiccode/index.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { attachmentDisposition } from '../../platform/http/content-disposition.js';
import { safeExternalUrl } from '../../platform/http/safe-links.js';
import { registerPubliccodeValidatorRoutes } from './publiccode-validator.routes.js';

const WRITE_NOTE =
  'Send an API token with the write scope: `Authorization: Bearer <token>` (401 without one, 403 for a read-only token or a role that may not do this).';

const slugParams = z.object({ slug: z.string().min(1).max(100) });
const codeParams = z.object({ code: z.string().min(1).max(100) });
const csrfField = { _csrf: z.string().optional() };
const textField = z.string().max(20_000).default('');
const manyField = z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]).optional();

const filterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words to search for in names, summaries, problems and descriptions'),
  kind: z.enum(COMPONENT_KINDS).optional().describe('software, api, data-standard, service-pattern, template, contract-clause'),
  serviceArea: z.string().max(100).optional().describe('A service area, e.g. planning-and-building-control'),
  status: z.enum(developmentStatuses).optional().describe('Development status: concept, development, beta, stable, obsolete'),
  licence: z.string().max(100).optional().describe('SPDX licence identifier, e.g. MIT'),
  hosting: z.enum(HOSTING_OPTIONS).optional().describe('self-hosted or saas'),
  sort: z.enum(['relevance', 'name', 'updated']).optional().describe('Order (default relevance when searching, else name)'),
});

/** HTML forms send every field, empty when not chosen. */
const pageFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  kind: z.union([z.enum(COMPONENT_KINDS), z.literal('')]).optional(),
  serviceArea: z.string().max(100).optional(),
  status: z.union([z.enum(developmentStatuses), z.literal('')]).optional(),
  licence: z.string().max(100).optional(),
  hosting: z.union([z.enum(HOSTING_OPTIONS), z.literal('')]).optional(),
  sort: z.union([z.enum(['relevance', 'name', 'updated']), z.literal('')]).optional(),
  page: pageQuerySchema.shape.page,
});

const maintainerSchema = z.object({
  name: z.string(),
  kind: z.enum(['organisation', 'person']),
  roles: z.array(z.string()),
  email: z.string().optional(),
  website: z.string().optional(),
});

const componentSchema = z.object({
  slug: z.string(),
  name: z.string(),
  kind: z.enum(COMPONENT_KINDS),
  summary: z.string(),
  description: z.string().describe('Markdown'),
  problem: z.string().nullable(),
  serviceAreas: z.array(z.string()),
  licence: z.string().nullable(),
  codeRepositoryUrl: z.string().nullable(),
  documentationUrl: z.string().nullable(),
  apiDocumentationUrl: z.string().nullable(),
  landingUrl: z.string().nullable(),
  developmentStatus: z.enum(developmentStatuses).nullable(),
  hostingOptions: z.array(z.enum(HOSTING_OPTIONS)),
  costModel: z.enum(COST_MODELS).nullable(),
  supportedStandards: z.array(z.string()),
  relatedSlugs: z.array(z.string()),
  maintainers: z.array(maintainerSchema),
  funding: z.string().nullable(),
  releaseDate: z.string().nullable(),
  softwareVersion: z.string().nullable(),
  attachments: z.array(z.object({ kind: z.string(), title: z.string(), url: z.string() })),
  publiccodeVersion: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const breakdownSchema = z.object({
  key: z.string(),
  label: z.string(),
  councils: z.number().int(),
  using: z.number().int(),
  piloting: z.number().int(),
  exploring: z.number().int(),
});

const adoptionSchema = z.object({
  using: z.number().int().describe('Current English principal councils with a confirmed "using" declaration'),
  councils: z.number().int().describe('Current English principal councils: the denominator'),
  piloting: z.number().int(),
  exploring: z.number().int(),
  retired: z.number().int(),
  unconfirmed: z.number().int().describe('Declarations not confirmed for 12 months: not counted'),
  notCounted: z.number().int().describe('Declarations by former councils and by organisations that are not English principal councils'),
  byRegion: z.array(breakdownSchema),
  byCouncilType: z.array(breakdownSchema),
});

const declarationSchema = z.object({
  organisation: z.object({ name: z.string(), slug: z.string(), gssCode: z.string().nullable() }),
  status: z.enum(ADOPTION_STATUSES),
  freshness: z.enum([...ADOPTION_STATUSES, 'unconfirmed']),
  since: z.string(),
  evidenceKind: z.enum(EVIDENCE_KINDS),
  evidence: z.string(),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  confirmedOn: z.string(),
  countsTowardsRegister: z.boolean(),
});

const stewardshipSchema = z.object({
  maintainingOrganisations: z.array(z.string()),
  funding: z.string().nullable(),
  lastReleaseDate: z.string().nullable(),
  releasedWithinYear: z.boolean().nullable(),
  lastConfirmedOn: z.string().nullable(),
  confirmedAdopters: z.number().int(),
});

const issueSchema = z.object({
  field: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
const importOutcomeSchema = z.object({
  file: z.string(),
  status: z.enum(['created', 'updated', 'rejected']),
  slug: z.string().nullable(),
  warnings: z.array(issueSchema),
  errors: z.array(issueSchema),
});

const componentBodySchema = z.object({
  name: z.string().max(200),
  kind: z.enum(COMPONENT_KINDS),
  summary: z.string().max(300),
  description: z.string().max(20_000).default(''),
  problem: z.string().max(2000).default(''),
  serviceAreas: z.array(z.string().max(100)).max(20).default([]),
  licence: z.string().max(100).default(''),
  codeRepositoryUrl: z.string().max(500).default(''),
  documentationUrl: z.string().max(500).default(''),
  developmentStatus: z.union([z.enum(developmentStatuses), z.literal('')]).default(''),
  hostingOptions: z.array(z.enum(HOSTING_OPTIONS)).default([]),
  costModel: z.union([z.enum(COST_MODELS), z.literal('')]).default(''),
  supportedStandards: z.array(z.string().max(200)).max(20).default([]),
  relatedSlugs: z.array(z.string().max(100)).max(20).default([]),
  maintainingOrganisations: z.array(z.string().max(200)).max(20).default([]),
  funding: z.string().max(1000).default(''),
  releaseDate: z.string().max(10).default('').describe('YYYY-MM-DD'),
  softwareVersion: z.string().max(50).default(''),
  dpiaUrl: z.string().max(500).default(''),
  accessibilityStatementUrl: z.string().max(500).default(''),
  specificationUrl: z.string().max(500).default(''),
});

const adoptionBodySchema = z.object({
  status: z.enum(ADOPTION_STATUSES),
  since: z.string().max(10).describe('YYYY-MM-DD'),
  evidenceKind: z.enum(EVIDENCE_KINDS),
  evidence: z.string().max(2000),
  contactName: z.string().max(200),
  contactEmail: z.string().max(320),
  contactAgrees: z.boolean().describe('The contact agrees to be asked about this by other councils (their name and email are shown)'),
});

const creditsSchema = z.object({
  organisation: z.object({ name: z.string(), slug: z.string(), gssCode: z.string().nullable() }),
  counts: z.object({ published: z.number(), using: z.number(), piloting: z.number(), referent: z.number(), confirmed: z.number() }),
  total: z.number(),
});

const componentCsvColumns: CsvColumn<ComponentSummary>[] = [
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

const declarationCsvColumns: CsvColumn<Declaration>[] = [
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

const creditCsvColumns: CsvColumn<ReuseCredits>[] = [
  { header: 'organisation', value: (c) => c.organisation.name },
  { header: 'gss_code', value: (c) => c.organisation.gssCode },
  ...REUSE_CREDIT_RULES.map((rule) => ({ header: rule.key, value: (c: ReuseCredits) => c.counts[rule.key] })),
  { header: 'total', value: (c) => c.total },
];

/** Splits a text box of items separated by commas or new lines. */
function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function many(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : [value].flat();
}

const componentFormSchema = z.object({
  name: textField,
  kind: textField,
  summary: textField,
  description: textField,
  problem: textField,
  serviceAreas: textField,
  licence: textField,
  codeRepositoryUrl: textField,
  documentationUrl: textField,
  developmentStatus: textField,
  hostingOptions: manyField,
  costModel: textField,
  supportedStandards: textField,
  relatedSlugs: textField,
  maintainingOrganisations: textField,
  funding: textField,
  releaseDate: textField,
  softwareVersion: textField,
  dpiaUrl: textField,
  accessibilityStatementUrl: textField,
  specificationUrl: textField,
  ...csrfField,
});
type ComponentForm = z.infer<typeof componentFormSchema>;

function componentInputFromForm(form: ComponentForm): ComponentInput {
  return {
    ...form,
    serviceAreas: splitList(form.serviceAreas),
    hostingOptions: many(form.hostingOptions),
    supportedStandards: splitList(form.supportedStandards),
    relatedSlugs: splitList(form.relatedSlugs),
    maintainingOrganisations: splitList(form.maintainingOrganisations),
  };
}

function formFromComponent(component: Component): Record<string, unknown> {
  const attachment = (kind: string) => component.attachments.find((candidate) => candidate.kind === kind)?.url ?? '';
  return {
    ...component,
    problem: component.problem ?? '',
    licence: component.licence ?? '',
    codeRepositoryUrl: component.codeRepositoryUrl ?? '',
    documentationUrl: component.documentationUrl ?? '',
    developmentStatus: component.developmentStatus ?? '',
    costModel: component.costModel ?? '',
    funding: component.funding ?? '',
    releaseDate: component.releaseDate ?? '',
    softwareVersion: component.softwareVersion ?? '',
    serviceAreas: component.serviceAreas.join(', '),
    supportedStandards: component.supportedStandards.join(', '),
    relatedSlugs: component.relatedSlugs.join(', '),
    maintainingOrganisations: component.maintainers
      .filter((maintainer) => maintainer.kind === 'organisation')
      .map((maintainer) => maintainer.name)
      .join(', '),
    hostingOptions: component.hostingOptions,
    dpiaUrl: attachment('dpia'),
    accessibilityStatementUrl: attachment('accessibility-statement'),
    specificationUrl: attachment('specification'),
  };
}

const adoptionFormSchema = z.object({
  status: textField,
  'since-day': textField,
  'since-month': textField,
  'since-year': textField,
  evidenceKind: textField,
  evidence: textField,
  contactName: textField,
  contactEmail: textField,
  contactAgrees: z.string().max(10).optional(),
  ...csrfField,
});
type AdoptionForm = z.infer<typeof adoptionFormSchema>;

function adoptionInputFromForm(form: AdoptionForm): AdoptionInput {
  const day = form['since-day'].trim();
  const month = form['since-month'].trim();
  const year = form['since-year'].trim();
  const since =
    day === '' && month === '' && year === ''
      ? ''
      : /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)
        ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
        : 'invalid';
  return {
    status: form.status,
    since,
    evidenceKind: form.evidenceKind,
    evidence: form.evidence,
    contactName: form.contactName,
    contactEmail: form.contactEmail,
    contactAgrees: form.contactAgrees === 'yes',
  };
}

function toQuery(filter: Omit<z.infer<typeof pageFilterSchema>, 'page'>, page: number, pageSize: number): ComponentQuery {
  return {
    q: filter.q || undefined,
    kind: filter.kind || undefined,
    serviceArea: filter.serviceArea || undefined,
    status: filter.status || undefined,
    licence: filter.licence || undefined,
    hosting: filter.hosting || undefined,
    sort: filter.sort || undefined,
    page,
    pageSize,
  };
}

function presentAdoption(summary: AdoptionSummary) {
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

const mapLegend = [
  { status: 'using', label: 'Using', className: 'app-hex--using' },
  { status: 'piloting', label: 'Piloting', className: 'app-hex--piloting' },
  { status: 'exploring', label: 'Exploring', className: 'app-hex--exploring' },
  { status: 'retired', label: 'Retired', className: 'app-hex--retired' },
  { status: 'unconfirmed', label: `Unconfirmed (not confirmed for ${FRESHNESS_MONTHS} months)`, className: 'app-hex--unconfirmed' },
];

/** A link to another site; a value that is not an http(s) address is shown as text. */
const link = (url: string) => {
  const href = safeExternalUrl(url);
  return href ? `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(url)}</a>` : escapeHtml(url);
};
const explained = (value: string, meaning: string) =>
  `<p class="govuk-body govuk-!-margin-bottom-1">${value}</p><p class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(meaning)}</p>`;

/** The stewardship signals as summary-list rows, each with what it means. */
function stewardshipRows(stewardship: Stewardship) {
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

function formatDate(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The component's facts as summary-list rows. */
function detailRows(card: ReturnType<typeof presentCard>, publisher: { name: string; slug: string; gssCode: string | null } | null) {
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

/** API writes answer 401 or 403 before the body is checked, so a caller without a token learns that first. */
function refuseWithoutWriteToken(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  try {
    requireApiWriter(request);
    done();
  } catch (error) {
    done(error as Error);
  }
}

/** The catalogue's pages and JSON API. */

/** Published case studies linked to a record, from the knowledge module (wired in app.ts); optional so this module stands alone. */
type LinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) => Promise<unknown[]>;

export function registerCatalogueRoutes(
  app: FastifyInstance,
  {
    catalogueService,
    limits = DEFAULT_LIMITS,
    listLinkedCaseStudies,
  }: { catalogueService: CatalogueService; limits?: Limits; listLinkedCaseStudies?: LinkedCaseStudies },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  registerPubliccodeValidatorRoutes(app);
  const englandHexes = () => {
    const map = loadHexMap(DISTRICT_HEX_MAP_FILE);
    return { layout: map.layout, hexes: map.hexes.filter((hex) => hex.code.startsWith('E')) };
  };

  // ---------- JSON API ----------

  api.get(
    '/api/v1/components',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'List and search components',
        description:
          'Common components councils share. `q` searches names, summaries, problems and descriptions (full text, and names by likeness). Each item says how many current English councils use it.',
        querystring: filterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
            items: z.array(componentSchema.extend({ adoption: z.object({ using: z.number().int(), councils: z.number().int() }) })),
          }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await catalogueService.listComponents({ ...filter, page: csv ? 1 : page, pageSize: csv ? 10_000 : pageSize });
      if (csv) return sendCsv(reply, 'components.csv', componentCsvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/api/v1/components/:slug',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'One component, with adoption counted against the register and stewardship health',
        params: slugParams,
        response: {
          200: componentSchema.extend({
            publisher: z.object({ name: z.string(), slug: z.string(), gssCode: z.string().nullable() }).nullable(),
            related: z.array(z.object({ slug: z.string(), name: z.string(), summary: z.string() })),
            adoption: adoptionSchema,
            stewardship: stewardshipSchema,
            declarations: z.array(declarationSchema),
          }),
        },
      },
    },
    async (request) => {
      const detail = await catalogueService.getComponent(request.params.slug);
      return {
        ...detail.component,
        publisher: detail.publisher,
        related: detail.related,
        adoption: presentAdoption(detail.adoption),
        stewardship: detail.stewardship,
        declarations: detail.declarations,
      };
    },
  );

  api.get(
    '/api/v1/components/:slug/adoptions',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'Every organisation’s declaration for a component (CSV or JSON)',
        params: slugParams,
        querystring: z.object({ format: pageQuerySchema.shape.format }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(declarationSchema) }) },
      },
    },
    async (request, reply) => {
      const { declarations } = await catalogueService.getComponent(request.params.slug);
      if (wantsCsv(request, request.query.format))
        return sendCsv(reply, `${request.params.slug}-adoptions.csv`, declarationCsvColumns, declarations);
      return { total: declarations.length, items: declarations };
    },
  );

  api.get(
    '/api/v1/components/:slug/publiccode.yml',
    {
      config: { publicCache: true },
      schema: { tags: ['Components'], summary: 'A component as publiccode.yml (version 0.4)', params: slugParams },
    },
    async (request, reply) => sendPubliccode(reply, request.params.slug),
  );

  api.get(
    '/api/v1/reuse-credits',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Components'],
        summary: 'Reuse credits of every organisation that has earned any (CSV or JSON)',
        querystring: z.object({ format: pageQuerySchema.shape.format }),
        response: {
          200: z.object({
            rules: z.array(z.object({ key: z.string(), points: z.number(), label: z.string(), detail: z.string() })),
            items: z.array(creditsSchema),
          }),
        },
      },
    },
    async (request, reply) => {
      const credits = await catalogueService.listReuseCredits();
      if (wantsCsv(request, request.query.format)) return sendCsv(reply, 'reuse-credits.csv', creditCsvColumns, credits);
      return { rules: [...REUSE_CREDIT_RULES], items: credits };
    },
  );

  api.post(
    '/api/v1/components',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Publish a component for your organisation',
        description: WRITE_NOTE,
        body: componentBodySchema,
        response: { 201: componentSchema },
      },
    },
    async (request, reply) => {
      const component = await catalogueService.createComponent(requireApiWriter(request), request.body);
      return reply.status(201).send(component);
    },
  );

  api.put(
    '/api/v1/components/:slug',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Change a component your organisation published',
        description: WRITE_NOTE,
        params: slugParams,
        body: componentBodySchema,
        response: { 200: componentSchema },
      },
    },
    async (request) => catalogueService.updateComponent(requireApiWriter(request), request.params.slug, request.body),
  );

  api.post(
    '/api/v1/components/import',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Import one publiccode.yml file',
        description: `Creates the component, or updates the one with the same code repository. 422 names every invalid field. ${WRITE_NOTE}`,
        body: z.object({ fileName: z.string().max(200).default('publiccode.yml'), yaml: z.string().max(1_000_000) }),
        response: { 200: importOutcomeSchema, 201: importOutcomeSchema, 422: importOutcomeSchema },
      },
    },
    async (request, reply) => {
      const outcome = await catalogueService.importPubliccode(requireApiWriter(request), {
        fileName: request.body.fileName,
        text: request.body.yaml,
      });
      return reply.status(outcome.status === 'created' ? 201 : outcome.status === 'updated' ? 200 : 422).send(outcome);
    },
  );

  api.post(
    '/api/v1/components/:slug/adoption',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Declare (or change) your organisation’s adoption of a component',
        description: WRITE_NOTE,
        params: slugParams,
        body: adoptionBodySchema,
        response: { 200: z.object({ status: z.enum(ADOPTION_STATUSES), since: z.string(), confirmedAt: z.string() }) },
      },
    },
    async (request) => {
      const adoption = await catalogueService.declareAdoption(requireApiWriter(request), request.params.slug, request.body);
      return { status: adoption.status, since: adoption.since, confirmedAt: adoption.confirmed_at.toISOString() };
    },
  );

  api.post(
    '/api/v1/components/:slug/adoption/confirm',
    {
      preValidation: refuseWithoutWriteToken,
      schema: {
        tags: ['Components'],
        summary: 'Confirm that your organisation’s declaration is still true (it counts for another 12 months)',
        description: WRITE_NOTE,
        params: slugParams,
        response: { 200: z.object({ status: z.enum(ADOPTION_STATUSES), since: z.string(), confirmedAt: z.string() }) },
      },
    },
    async (request) => {
      const adoption = await catalogueService.confirmAdoption(requireApiWriter(request), request.params.slug);
      return { status: adoption.status, since: adoption.since, confirmedAt: adoption.confirmed_at.toISOString() };
    },
  );

  async function sendPubliccode(reply: FastifyReply, slug: string) {
    const yaml = await catalogueService.exportPubliccode(slug);
    return reply
      .header('Content-Type', 'application/yaml; charset=utf-8')
      .header('Content-Disposition', attachmentDisposition(`${slug}.publiccode.yml`))
      .send(yaml);
  }

  // ---------- Pages ----------

  const breadcrumbs = (extra: { text: string; href: string }[] = []) => [
    { text: 'Home', href: '/' },
    { text: 'Components', href: '/components' },
    ...extra,
  ];

  api.get(
    '/components',
    { config: { publicCache: true }, schema: { hide: true, querystring: pageFilterSchema } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 20;
      const [result, facets] = await Promise.all([
        catalogueService.listComponents(toQuery(filter, page, pageSize)),
        catalogueService.listFacetValues(),
      ]);
      const filterQuery = {
        q: filter.q,
        kind: filter.kind,
        serviceArea: filter.serviceArea,
        status: filter.status,
        licence: filter.licence,
        hosting: filter.hosting,
        sort: filter.sort,
      };
      const options = (value: string | undefined, items: readonly { value: string; text: string }[], anyText: string) => [
        { value: '', text: anyText, selected: !value },
        ...items.map((item) => ({ ...item, selected: item.value === value })),
      ];
      return reply.render('catalogue/views/list.njk', {
        title: 'Components',
        filter: filterQuery,
        total: result.total,
        firstItem: result.total === 0 ? 0 : (page - 1) * pageSize + 1,
        lastItem: Math.min(page * pageSize, result.total),
        rows: result.items.map((item) => presentCard(item)),
        pagination: buildPagination('/components', filterQuery, page, pageSize, result.total),
        kindOptions: options(
          filter.kind,
          COMPONENT_KINDS.map((kind) => ({ value: kind, text: KIND_LABELS[kind] })),
          'Any kind',
        ),
        serviceAreaOptions: options(
          filter.serviceArea,
          facets.serviceAreas.map((area) => ({ value: area, text: humanise(area) })),
          'Any service area',
        ),
        statusOptions: options(
          filter.status,
          developmentStatuses.map((status) => ({ value: status, text: STATUS_LABELS[status] })),
          'Any status',
        ),
        licenceOptions: options(
          filter.licence,
          facets.licences.map((licence) => ({ value: licence, text: licence })),
          'Any licence',
        ),
        hostingOptions: options(
          filter.hosting,
          HOSTING_OPTIONS.map((option) => ({ value: option, text: HOSTING_LABELS[option] })),
          'Any hosting',
        ),
        sortOptions: options(
          filter.sort,
          [
            { value: 'name', text: 'Name' },
            { value: 'updated', text: 'Recently updated' },
          ],
          'Best match',
        ),
        downloadQuery: queryString(filterQuery),
        maxCompared: MAX_COMPARED,
        canPublish: request.actor?.organisationId != null,
      });
    },
  );

  api.get(
    '/components/compare',
    { schema: { hide: true, querystring: z.object({ slugs: manyField }) }, config: { publicCache: true } },
    async (request, reply) => {
      const slugs = many(request.query.slugs);
      try {
        const compared = await catalogueService.compareComponents(slugs);
        return reply.render('catalogue/views/compare.njk', {
          title: compared.length === 1 ? `Compare: ${compared[0]?.component.name ?? ''}` : 'Compare components',
          breadcrumbs: breadcrumbs(),
          columns: compared.map((entry) => ({
            ...presentCard({ ...entry.component, adoption: { using: entry.adoption.using, councils: entry.adoption.councils } }),
            adoptionSummary: entry.adoption,
            stewardship: entry.stewardship,
            stewardshipRows: stewardshipRows(entry.stewardship),
          })),
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return reply.status(400).render('catalogue/views/compare.njk', {
          title: 'Compare components',
          breadcrumbs: breadcrumbs(),
          columns: [],
          errorSummary: [{ text: error.message, href: '/components' }],
          errorMessage: error.message,
        });
      }
    },
  );

  api.get('/components/reuse-credits', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('catalogue/views/credits.njk', {
      title: 'Reuse credits',
      breadcrumbs: breadcrumbs(),
      rules: REUSE_CREDIT_RULES,
      credits: await catalogueService.listReuseCredits(),
      freshnessMonths: FRESHNESS_MONTHS,
    }),
  );

  api.get(
    '/components/reuse-credits/:code',
    { config: { publicCache: true }, schema: { hide: true, params: codeParams } },
    async (request, reply) => {
      const credits = await catalogueService.getReuseCredits(request.params.code);
      return reply.render('catalogue/views/organisation-credits.njk', {
        title: `Reuse credits: ${credits.organisation.name}`,
        breadcrumbs: breadcrumbs([{ text: 'Reuse credits', href: '/components/reuse-credits' }]),
        credits,
        rules: REUSE_CREDIT_RULES.map((rule) => ({
          ...rule,
          count: credits.counts[rule.key],
          points: rule.points * credits.counts[rule.key],
          each: rule.points,
        })),
        adoptionLabels: ADOPTION_LABELS,
      });
    },
  );

  // Publishing a component by form.
  const renderComponentForm = (
    reply: FastifyReply,
    options: { mode: 'new' | 'edit'; values: Record<string, unknown>; slug?: string; error?: InputError },
  ) =>
    reply.render('catalogue/views/form.njk', {
      title:
        options.mode === 'new'
          ? 'Publish a component'
          : `Change ${typeof options.values.name === 'string' ? options.values.name : 'component'}`,
      breadcrumbs: breadcrumbs(),
      mode: options.mode,
      action: options.mode === 'new' ? '/components' : `/components/${options.slug ?? ''}`,
      values: options.values,
      errorSummary: options.error ? formErrors(options.error) : undefined,
      errors: fieldErrors(options.error),
      kindItems: COMPONENT_KINDS.map((kind) => ({ value: kind, text: KIND_LABELS[kind], checked: options.values.kind === kind })),
      statusItems: [
        { value: '', text: 'Not stated', checked: !options.values.developmentStatus },
        ...developmentStatuses.map((status) => ({
          value: status,
          text: STATUS_LABELS[status],
          checked: options.values.developmentStatus === status,
        })),
      ],
      hostingItems: HOSTING_OPTIONS.map((option) => ({
        value: option,
        text: HOSTING_LABELS[option],
        checked: many(options.values.hostingOptions as string | string[] | undefined).includes(option),
      })),
      costItems: [
        { value: '', text: 'Not stated', selected: !options.values.costModel },
        ...COST_MODELS.map((model) => ({ value: model, text: COST_MODEL_LABELS[model], selected: options.values.costModel === model })),
      ],
    });

  api.get('/components/new', { schema: { hide: true } }, async (request, reply) => {
    requireOrganisationMember(request);
    return renderComponentForm(reply.header('Cache-Control', 'no-store'), { mode: 'new', values: { kind: 'software' } });
  });

  api.post('/components', { schema: { hide: true, body: componentFormSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    try {
      const component = await catalogueService.createComponent(actor, componentInputFromForm(request.body));
      return reply.redirect(`/components/${component.slug}`, 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderComponentForm(reply.status(400), { mode: 'new', values: request.body, error });
    }
  });

  api.get('/components/:slug/edit', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { component } = await catalogueService.getComponent(request.params.slug);
    if (!catalogueService.canEdit(actor, component)) {
      return reply.status(403).render('error.njk', {
        title: 'Not allowed',
        paragraphs: ['Only people at the organisation that published this component can change it.'],
      });
    }
    return renderComponentForm(reply.header('Cache-Control', 'no-store'), {
      mode: 'edit',
      slug: component.slug,
      values: formFromComponent(component),
    });
  });

  api.post('/components/:slug', { schema: { hide: true, params: slugParams, body: componentFormSchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    try {
      const component = await catalogueService.updateComponent(actor, request.params.slug, componentInputFromForm(request.body));
      return reply.redirect(`/components/${component.slug}`, 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderComponentForm(reply.status(400), { mode: 'edit', slug: request.params.slug, values: request.body, error });
    }
  });

  // Importing publiccode.yml by upload (multipart) or by pasting the text.
  const renderImport = (reply: FastifyReply, context: { outcomes?: PubliccodeImportOutcome[]; yaml?: string; error?: string }) =>
    reply.header('Cache-Control', 'no-store').render('catalogue/views/import.njk', {
      title: context.outcomes ? 'Import results' : 'Import publiccode.yml',
      breadcrumbs: breadcrumbs(),
      outcomes: context.outcomes?.map((outcome) => ({ ...outcome, fileName: path.basename(outcome.file) })),
      yaml: context.yaml ?? '',
      errorSummary: context.error ? [{ text: context.error, href: '#files' }] : undefined,
      error: context.error,
    });

  api.get('/components/import', { schema: { hide: true } }, async (request, reply) => {
    requireOrganisationMember(request);
    return renderImport(reply, {});
  });

  const pastedSchema = z.object({ yaml: z.string().max(1_000_000).optional(), ...csrfField });

  // No body schema: a multipart upload streams to the handler; a pasted file arrives as an ordinary form.
  app.post('/components/import', { schema: { hide: true } }, async (request, reply) => {
    // Refused before any upload is read; the catalogue service applies the same rule to every way of creating a component.
    const actor = requireOrganisationMember(request);
    const pasted = request.isMultipart() ? undefined : pastedSchema.safeParse(request.body ?? {}).data?.yaml;
    const files = request.isMultipart() ? await readUploadedFiles(request, limits.uploadBytes.publiccode) : pastedFile(pasted);
    if (files.length === 0) {
      return renderImport(reply.status(400), {
        error: 'Choose one or more publiccode.yml files, or paste the contents of one',
        yaml: pasted,
      });
    }
    const outcomes: PubliccodeImportOutcome[] = [];
    for (const file of files) outcomes.push(await catalogueService.importPubliccode(actor, file));
    const anyRejected = outcomes.some((outcome) => outcome.status === 'rejected');
    return renderImport(reply.status(anyRejected ? 422 : 200), { outcomes });
  });

  api.get(
    '/components/:slug/publiccode.yml',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => sendPubliccode(reply, request.params.slug),
  );

  api.get('/components/:slug', { config: { publicCache: true }, schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const detail = await catalogueService.getComponent(request.params.slug);
    const { component, adoption } = detail;
    const hexMap = renderHexMap({
      hexes: englandHexes().hexes,
      layout: englandHexes().layout,
      statusByGssCode: adoption.statusByGssCode,
      legend: mapLegend,
      title: `Councils and ${component.name}`,
      description: `Hex map of England’s district, metropolitan, London borough and unitary councils, one hexagon each, marked by their declaration for ${component.name}. County councils are not on this map.`,
      noStatusLabel: 'No declaration',
      idPrefix: 'adoption-map',
    });
    const card = presentCard({ ...component, adoption: { using: adoption.using, councils: adoption.councils } });
    const actor = request.actor;
    const own = actor ? detail.declarations.find((declaration) => declaration.organisation.id === actor.organisationId) : undefined;
    return reply.render('catalogue/views/show.njk', {
      title: component.name,
      breadcrumbs: breadcrumbs(),
      component: card,
      detailRows: detailRows(card, detail.publisher),
      stewardshipRows: stewardshipRows(detail.stewardship),
      descriptionHtml: renderMarkdown(component.description),
      publisher: detail.publisher,
      related: detail.related,
      adoption,
      statusRows: (['using', 'piloting', 'exploring', 'retired', 'unconfirmed'] as const).map((status) => ({
        label: ADOPTION_LABELS[status],
        count: adoption[status],
      })),
      countyRows: adoption.counties.map((county) => ({ ...county, label: ADOPTION_LABELS[county.freshness] })),
      declarations: detail.declarations.map((declaration) => presentDeclaration(declaration)),
      stewardship: detail.stewardship,
      hexMap,
      canEdit: catalogueService.canEdit(actor, component),
      ownDeclaration: own ? presentDeclaration(own) : null,
      signedIn: actor !== null,
      canDeclare: actor !== null && actor.organisationId !== null && actor.role !== 'supplier',
      freshnessMonths: FRESHNESS_MONTHS,
      linkedCaseStudies: listLinkedCaseStudies ? await listLinkedCaseStudies('component', component.slug) : [],
      linkedCaseStudiesHeading: 'Case studies of councils that used it',
    });
  });

  api.get(
    '/components/:slug/adoptions',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const [detail, history] = await Promise.all([
        catalogueService.getComponent(request.params.slug),
        catalogueService.listAdoptionHistory(request.params.slug, 100),
      ]);
      return reply.render('catalogue/views/adoptions.njk', {
        title: `Who uses ${detail.component.name}`,
        breadcrumbs: breadcrumbs([{ text: detail.component.name, href: `/components/${detail.component.slug}` }]),
        component: detail.component,
        declarations: detail.declarations.map((declaration) => presentDeclaration(declaration)),
        history: history.map((entry) => ({
          ...entry,
          statusLabel: ADOPTION_LABELS[entry.status],
          evidenceLabel: EVIDENCE_LABELS[entry.evidenceKind],
          recordedOn: entry.recordedAt.slice(0, 10),
        })),
      });
    },
  );

  // Declaring adoption.
  const renderAdoptionForm = async (
    reply: FastifyReply,
    actor: Actor,
    slug: string,
    values?: AdoptionForm,
    error?: InputError,
    refusal?: unknown,
  ) => {
    const { component } = await catalogueService.getComponent(slug);
    const existing = await catalogueService.getOwnAdoption(actor, slug);
    const [year, month, day] = (existing?.since ?? '').split('-');
    const form: AdoptionForm = values ?? {
      status: existing?.status ?? '',
      'since-day': day ?? '',
      'since-month': month ?? '',
      'since-year': year ?? '',
      evidenceKind: existing?.evidence_kind ?? '',
      evidence: existing?.evidence ?? '',
      contactName: existing?.contact_name ?? actor.name ?? '',
      contactEmail: existing?.contact_email ?? actor.email,
      contactAgrees: existing ? (existing.contact_agrees ? 'yes' : undefined) : undefined,
    };
    const errors = fieldErrors(error);
    return reply.header('Cache-Control', 'no-store').render('catalogue/views/adoption-form.njk', {
      title: `Declare your adoption of ${component.name}`,
      breadcrumbs: breadcrumbs([{ text: component.name, href: `/components/${component.slug}` }]),
      component,
      organisationName: actor.organisationName,
      existing: existing
        ? { status: ADOPTION_LABELS[existing.status], confirmedOn: existing.confirmed_at.toISOString().slice(0, 10) }
        : null,
      values: form,
      accessRefusal: refusal,
      errorSummary: error ? formErrors(error) : undefined,
      errors,
      statusItems: ADOPTION_STATUSES.map((status) => ({ value: status, text: ADOPTION_LABELS[status], checked: form.status === status })),
      evidenceItems: EVIDENCE_KINDS.map((kind) => ({ value: kind, text: EVIDENCE_LABELS[kind], checked: form.evidenceKind === kind })),
      freshnessMonths: FRESHNESS_MONTHS,
    });
  };

  const adoptionAccess = (request: FastifyRequest) =>
    describeAccess(request.actor, 'council', 'declare your organisation’s adoption of a component', request.url);

  api.get('/components/:slug/adoption', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    if (!cataloguePolicy.canDeclareAdoption(actor, actor.organisationKind ?? '')) {
      const { component } = await catalogueService.getComponent(request.params.slug);
      return reply
        .status(403)
        .header('Cache-Control', 'no-store')
        .render('access-needed.njk', {
          title: `Declare your adoption of ${component.name}`,
          access: adoptionAccess(request),
          back: { href: `/components/${component.slug}`, text: `Back to ${component.name}` },
        });
    }
    return renderAdoptionForm(reply, actor, request.params.slug);
  });

  api.post(
    '/components/:slug/adoption',
    { schema: { hide: true, params: slugParams, body: adoptionFormSchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      let adoption;
      try {
        adoption = await catalogueService.declareAdoption(actor, request.params.slug, adoptionInputFromForm(request.body));
      } catch (error) {
        if (error instanceof NotAllowedError)
          return renderAdoptionForm(reply.status(403), actor, request.params.slug, request.body, undefined, adoptionAccess(request));
        if (!(error instanceof InputError)) throw error;
        return renderAdoptionForm(reply.status(400), actor, request.params.slug, request.body, error);
      }
      return reply
        .flash({
          heading: `${actor.organisationName ?? 'Your organisation'}’s adoption is recorded as “${ADOPTION_LABELS[adoption.status]}”`,
          text: `It counts for ${FRESHNESS_MONTHS} months; we will ask your contact to confirm it before then.`,
          next: actor.organisationCode
            ? {
                href: `/organisations/${encodeURIComponent(actor.organisationCode)}#components`,
                text: 'See the components your organisation uses',
              }
            : undefined,
        })
        .redirect(`/components/${request.params.slug}#adoption`, 303);
    },
  );

  api.post(
    '/components/:slug/adoption/confirm',
    { schema: { hide: true, params: slugParams, body: z.object(csrfField) } },
    async (request, reply) => {
      await catalogueService.confirmAdoption(requireSignedIn(request), request.params.slug);
      return reply
        .flash({
          heading: 'Your declaration is confirmed as still true',
          text: `It counts for another ${FRESHNESS_MONTHS} months.`,
        })
        .redirect(`/components/${request.params.slug}#adoption`, 303);
    },
  );
}

async function readUploadedFiles(request: FastifyRequest, maxBytes: number): Promise<{ fileName: string; text: string }[]> {
  const files: { fileName: string; text: string }[] = [];
  for await (const part of request.files({ limits: { fileSize: maxBytes, files: 20 } })) {
    const buffer = await part.toBuffer();
    if (part.filename === '' && buffer.length === 0) continue;
    files.push({ fileName: path.basename(part.filename || 'publiccode.yml'), text: buffer.toString('utf8') });
  }
  return files;
}

function pastedFile(yaml: string | undefined): { fileName: string; text: string }[] {
  return yaml && yaml.trim() !== '' ? [{ fileName: 'pasted publiccode.yml', text: yaml }] : [];
}

function humanise(slug: string): string {
  const text = slug.replace(/[-_]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function presentCard(component: ComponentSummary) {
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

function presentDeclaration(declaration: Declaration) {
  return {
    ...declaration,
    statusLabel: ADOPTION_LABELS[declaration.status],
    freshnessLabel: ADOPTION_LABELS[declaration.freshness],
    evidenceLabel: EVIDENCE_LABELS[declaration.evidenceKind],
    evidenceIsLink: declaration.evidenceKind === 'service-url',
  };
}
