/**
 * The register of data-sharing agreements: list (CSV/JSON), public page, the readable document, the form to
 * record and change one, lifecycle changes, each council's flows, and `GET /api/v1/data-sharing/agreements`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { buildPagination, type CsvColumn, pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireOrganisationMember, requireSignedIn } from '../identity/index.js';
import {
  AGREEMENT_STATUS_LABELS,
  ARTICLE9_CONDITIONS,
  DPIA_STATUS_LABELS,
  DPIA_TRIGGERS,
  LAWFUL_BASES,
  PARTY_ROLE_LABELS,
  SCHEDULE1_CONDITIONS,
} from './agreements.labels.js';
import type { AgreementInput, AgreementsService, PublicAgreement } from './agreements.service.js';
import { AGREEMENT_STATUSES, DPIA_STATUSES, PARTY_ROLES } from './data-sharing.tables.js';
import type { DataStandardsService } from './data-standards.service.js';

const PARTY_SLOTS = 4;
const slugParams = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9-]{1,120}$/)
    .describe('The agreement’s slug'),
});
const SORTS = ['title', 'updated', 'review'] as const;
const filterSchema = z.object({
  q: z.string().trim().max(200).optional().describe('Words in the title, purpose or data shared'),
  status: z
    .union([z.enum(AGREEMENT_STATUSES), z.literal('')])
    .optional()
    .describe('agreed, active, under-review or ended (drafts are not public)'),
  organisation: z.string().max(100).optional().describe('Only agreements this organisation (GSS code or slug) is a party to'),
  sort: z
    .union([z.enum(SORTS), z.literal('')])
    .optional()
    .describe('title (default), updated or review (soonest review first)'),
});

const partySchema = z.object({
  name: z.string(),
  slug: z.string(),
  code: z.string().nullable(),
  kind: z.string(),
  role: z.enum(PARTY_ROLES),
});
const agreementSchema = z.object({
  slug: z.string(),
  title: z.string(),
  purpose: z.string(),
  status: z.enum(AGREEMENT_STATUSES),
  lead: z.object({ name: z.string(), slug: z.string() }),
  parties: z.array(partySchema),
  lawfulBasis: z.string().describe('UK GDPR Article 6(1) basis'),
  specialCategory: z.boolean(),
  article9Condition: z.string().nullable(),
  schedule1Condition: z.string().nullable().describe('DPA 2018 Schedule 1 condition, where the Article 9 condition needs one'),
  dataSubjects: z.string(),
  dataItems: z.string(),
  standardSlugs: z.array(z.string()),
  dpiaStatus: z.string(),
  dpiaOutcome: z.string(),
  dpiaTriggers: z.array(z.string()),
  dpiaWarnings: z.array(z.string()),
  retention: z.string(),
  security: z.string(),
  reviewDate: z.string(),
  reviewOverdue: z.boolean(),
  signedOffRole: z.string(),
  signedOffOn: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  url: z.string(),
});

const csvColumns: CsvColumn<PublicAgreement>[] = [
  { header: 'slug', value: (a) => a.slug },
  { header: 'title', value: (a) => a.title },
  { header: 'status', value: (a) => a.status },
  { header: 'lead', value: (a) => a.lead.name },
  { header: 'parties', value: (a) => a.parties.map((party) => `${party.name} (${party.role})`) },
  { header: 'purpose', value: (a) => a.purpose },
  { header: 'lawful_basis', value: (a) => a.lawfulBasis },
  { header: 'special_category', value: (a) => a.specialCategory },
  { header: 'article9_condition', value: (a) => a.article9Condition },
  { header: 'schedule1_condition', value: (a) => a.schedule1Condition },
  { header: 'data_subjects', value: (a) => a.dataSubjects },
  { header: 'data_shared', value: (a) => a.dataItems },
  { header: 'data_standards', value: (a) => a.standardSlugs },
  { header: 'dpia', value: (a) => a.dpiaStatus },
  { header: 'review_date', value: (a) => a.reviewDate },
  { header: 'version', value: (a) => a.version },
  { header: 'updated_at', value: (a) => a.updatedAt },
];

const text = (max: number) => z.string().max(max).default('');
const list = z.union([z.string(), z.array(z.string())]).optional();
const asList = (value: string | string[] | undefined) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter((item) => item !== '');

const formSchema = z
  .object({
    title: text(300),
    purpose: text(6000),
    lawfulBasis: text(50),
    specialCategory: z.enum(['yes', 'no']).default('no'),
    article9Condition: text(60),
    schedule1Condition: text(60),
    dataSubjects: text(6000),
    dataItems: text(6000),
    standardSlugs: list,
    dpiaStatus: text(30),
    dpiaOutcome: text(6000),
    dpiaTriggers: list,
    retention: text(6000),
    security: text(6000),
    reviewDate: text(20),
    signedOffRole: text(200),
    signedOffByName: text(200),
    signedOffOn: text(20),
    contactName: text(200),
    contactEmail: text(300),
    leadRole: text(30),
    note: text(1000),
    _csrf: z.string().optional(),
  })
  .catchall(z.string().max(200));

type FormBody = z.infer<typeof formSchema>;

function toInput(body: FormBody): AgreementInput {
  const parties = Array.from({ length: PARTY_SLOTS }, (_, index) => ({
    organisation: body[`party${index}`] ?? '',
    role: body[`party${index}Role`] ?? '',
  }));
  return {
    title: body.title,
    purpose: body.purpose,
    lawfulBasis: body.lawfulBasis,
    specialCategory: body.specialCategory === 'yes',
    article9Condition: body.article9Condition,
    schedule1Condition: body.schedule1Condition,
    dataSubjects: body.dataSubjects,
    dataItems: body.dataItems,
    standardSlugs: asList(body.standardSlugs),
    dpiaStatus: body.dpiaStatus,
    dpiaOutcome: body.dpiaOutcome,
    dpiaTriggers: asList(body.dpiaTriggers),
    retention: body.retention,
    security: body.security,
    reviewDate: body.reviewDate,
    signedOffRole: body.signedOffRole,
    signedOffByName: body.signedOffByName,
    signedOffOn: body.signedOffOn,
    contactName: body.contactName,
    contactEmail: body.contactEmail,
    parties,
    leadRole: body.leadRole,
  };
}

const options = (labels: Record<string, string>, chosen: string, empty: string) => [
  { value: '', text: empty },
  ...Object.entries(labels).map(([value, label]) => ({ value, text: label, selected: value === chosen })),
];

export function registerAgreementsRoutes(
  app: FastifyInstance,
  { agreementsService, dataStandardsService }: { agreementsService: AgreementsService; dataStandardsService: DataStandardsService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const crumbs = [
    { text: 'Home', href: '/' },
    { text: 'Data sharing', href: '/data-sharing' },
    { text: 'Agreements', href: '/data-sharing/agreements' },
  ];

  const renderForm = async (reply: FastifyReply, context: { input: AgreementInput; editSlug?: string; error?: InputError }) => {
    const { input } = context;
    const standards = await dataStandardsService.listStandards({});
    return reply.status(context.error ? 400 : 200).render('data-sharing/views/agreement-form.njk', {
      title: context.editSlug ? `Change “${input.title}”` : 'Record a data-sharing agreement',
      values: input,
      editSlug: context.editSlug,
      errorSummary: context.error ? formErrors(context.error) : undefined,
      errors: fieldErrors(context.error),
      lawfulBasisItems: Object.entries(LAWFUL_BASES).map(([value, label]) => ({
        value,
        text: label,
        checked: value === input.lawfulBasis,
      })),
      article9Options: options(ARTICLE9_CONDITIONS, input.article9Condition, 'Choose an Article 9 condition'),
      schedule1Options: options(SCHEDULE1_CONDITIONS, input.schedule1Condition, 'Not needed, or choose a Schedule 1 condition'),
      dpiaItems: DPIA_STATUSES.map((value) => ({ value, text: DPIA_STATUS_LABELS[value], checked: value === input.dpiaStatus })),
      triggerItems: Object.entries(DPIA_TRIGGERS).map(([value, label]) => ({
        value,
        text: label,
        checked: input.dpiaTriggers.includes(value),
      })),
      standardItems: standards.map((standard) => ({
        value: standard.slug,
        text: standard.name,
        checked: input.standardSlugs.includes(standard.slug),
      })),
      leadRoleOptions: PARTY_ROLES.map((value) => ({
        value,
        text: PARTY_ROLE_LABELS[value],
        selected: value === (input.leadRole || 'controller'),
      })),
      partySlots: Array.from({ length: PARTY_SLOTS }, (_, index) => ({
        index,
        organisation: input.parties[index]?.organisation ?? '',
        roleOptions: [
          { value: '', text: 'Choose a role' },
          ...PARTY_ROLES.map((value) => ({ value, text: PARTY_ROLE_LABELS[value], selected: value === input.parties[index]?.role })),
        ],
        error: fieldErrors(context.error)[`parties-${index}`],
      })),
      breadcrumbs: crumbs,
    });
  };

  const labels = {
    statuses: AGREEMENT_STATUS_LABELS,
    lawfulBases: LAWFUL_BASES,
    article9: ARTICLE9_CONDITIONS,
    schedule1: SCHEDULE1_CONDITIONS,
    dpia: DPIA_STATUS_LABELS,
    triggers: DPIA_TRIGGERS,
    roles: PARTY_ROLE_LABELS,
  };

  api.get(
    '/api/v1/data-sharing/agreements',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Data sharing'],
        summary: 'The register of data-sharing agreements',
        description:
          'Agreements in the register (drafts are not public): parties, purpose, lawful basis, data shared, DPIA and review date. Nothing personal is published.',
        querystring: filterSchema.extend(pageQuerySchema.shape),
        response: {
          200: z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(agreementSchema) }),
        },
      },
    },
    async (request, reply) => {
      const { page, pageSize, format, ...filter } = request.query;
      const csv = wantsCsv(request, format);
      const result = await agreementsService.listAgreements(null, {
        ...filter,
        status: filter.status || undefined,
        sort: filter.sort || undefined,
        page: csv ? 1 : page,
        pageSize: csv ? 100_000 : pageSize,
      });
      if (csv) return sendCsv(reply, 'data-sharing-agreements.csv', csvColumns, result.items);
      return { total: result.total, page, pageSize, items: result.items };
    },
  );

  api.get(
    '/data-sharing/agreements',
    { schema: { hide: true, querystring: filterSchema.extend({ page: pageQuerySchema.shape.page }) } },
    async (request, reply) => {
      const { page, ...filter } = request.query;
      const pageSize = 25;
      const result = await agreementsService.listAgreements(request.actor, {
        ...filter,
        status: filter.status || undefined,
        sort: filter.sort || undefined,
        page,
        pageSize,
      });
      return reply.render('data-sharing/views/agreements.njk', {
        title: 'Data-sharing agreements',
        ...result,
        labels,
        filter,
        canRecord: request.actor?.organisationId != null,
        statusOptions: [
          { value: '', text: 'Any status' },
          ...AGREEMENT_STATUSES.map((value) => ({ value, text: AGREEMENT_STATUS_LABELS[value], selected: value === filter.status })),
        ],
        sortOptions: [
          { value: 'title', text: 'Title', selected: !filter.sort || filter.sort === 'title' },
          { value: 'updated', text: 'Recently changed', selected: filter.sort === 'updated' },
          { value: 'review', text: 'Review date (soonest first)', selected: filter.sort === 'review' },
        ],
        pagination: buildPagination('/data-sharing/agreements', { ...filter }, page, pageSize, result.total),
        breadcrumbs: crumbs.slice(0, 2),
      });
    },
  );

  app.get('/data-sharing/agreements/new', { schema: { hide: true } }, async (request, reply) => {
    requireOrganisationMember(request);
    return renderForm(reply, {
      input: toInput(formSchema.parse({ dpiaStatus: 'not-started', leadRole: 'controller' })),
    });
  });

  api.post('/data-sharing/agreements', { schema: { hide: true, body: formSchema } }, async (request, reply) => {
    const actor = requireOrganisationMember(request);
    const input = toInput(request.body);
    try {
      const slug = await agreementsService.createAgreement(actor, input);
      return reply
        .flash({
          heading: 'The agreement is recorded as a draft',
          text: 'Only its parties can see it while it is a draft. Mark it agreed once every party has signed it.',
        })
        .redirect(`/data-sharing/agreements/${slug}`, 303);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderForm(reply, { input, error });
    }
  });

  api.get(
    '/data-sharing/agreements/:slug',
    {
      schema: {
        hide: true,
        params: slugParams,
      },
    },
    async (request, reply) => {
      const detail = await agreementsService.getAgreement(request.actor, request.params.slug);
      return reply.render('data-sharing/views/agreement.njk', {
        title: detail.agreement.title,
        ...detail,
        labels,
        statusItems: detail.nextStatuses.map((value) => ({ value, text: AGREEMENT_STATUS_LABELS[value] })),
        breadcrumbs: crumbs,
      });
    },
  );

  api.get(
    '/data-sharing/agreements/:slug/document',
    { config: { publicCache: true }, schema: { hide: true, params: slugParams } },
    async (request, reply) => {
      const detail = await agreementsService.getAgreement(request.actor, request.params.slug);
      return reply.render('data-sharing/views/agreement-document.njk', {
        title: `${detail.agreement.title}: data-sharing agreement`,
        ...detail,
        labels,
        breadcrumbs: crumbs,
      });
    },
  );

  api.get('/data-sharing/agreements/:slug/edit', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const { input } = await agreementsService.getAgreementForEditing(actor, request.params.slug);
    return renderForm(reply, { input, editSlug: request.params.slug });
  });

  api.post(
    '/data-sharing/agreements/:slug/edit',
    { schema: { hide: true, params: slugParams, body: formSchema } },
    async (request, reply) => {
      const actor = requireOrganisationMember(request);
      const input = toInput(request.body);
      try {
        await agreementsService.updateAgreement(actor, request.params.slug, input, request.body.note);
        return reply
          .flash({ heading: 'Your changes to the agreement are saved', text: 'They are kept as a new version, with your note.' })
          .redirect(`/data-sharing/agreements/${request.params.slug}`, 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderForm(reply, { input, editSlug: request.params.slug, error });
      }
    },
  );

  api.post(
    '/data-sharing/agreements/:slug/status',
    {
      schema: {
        hide: true,
        params: slugParams,
        body: z.object({ status: z.string().max(30).default(''), note: text(1000), _csrf: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      try {
        await agreementsService.changeStatus(actor, request.params.slug, request.body.status, request.body.note);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const detail = await agreementsService.getAgreement(actor, request.params.slug);
        return reply.status(400).render('data-sharing/views/agreement.njk', {
          title: detail.agreement.title,
          ...detail,
          labels,
          statusItems: detail.nextStatuses.map((value) => ({ value, text: AGREEMENT_STATUS_LABELS[value] })),
          errorSummary: formErrors(error),
          errors: fieldErrors(error),
          breadcrumbs: crumbs,
        });
      }
      const status = AGREEMENT_STATUS_LABELS[request.body.status as keyof typeof AGREEMENT_STATUS_LABELS] ?? request.body.status;
      return reply
        .flash({ heading: `The agreement is now ${status.toLowerCase()}`, text: 'The change is kept in its history, with your note.' })
        .redirect(`/data-sharing/agreements/${request.params.slug}`, 303);
    },
  );

  api.get(
    '/data-sharing/organisations/:code/flows',
    { config: { publicCache: true }, schema: { hide: true, params: z.object({ code: z.string().max(100) }) } },
    async (request, reply) => {
      const { organisation, flows } = await agreementsService.listFlows(request.params.code);
      const partners = new Map<string, { name: string; slug: string; count: number }>();
      for (const flow of flows)
        for (const partner of flow.partners)
          partners.set(partner.slug, { name: partner.name, slug: partner.slug, count: (partners.get(partner.slug)?.count ?? 0) + 1 });
      return reply.render('data-sharing/views/flows.njk', {
        title: `Data flows of ${organisation.name}`,
        organisation,
        flows,
        labels,
        diagram: flowsDiagram(organisation.name, [...partners.values()]),
        breadcrumbs: crumbs.slice(0, 2),
      });
    },
  );
}

/** A hub-and-spoke diagram of an organisation's sharing partners, as SVG coordinates (drawn without JavaScript). */
function flowsDiagram(centre: string, partners: { name: string; count: number }[]) {
  const width = 640;
  const height = Math.max(240, 80 + partners.length * 44);
  const centreX = 150;
  const centreY = height / 2;
  return {
    width,
    height,
    centre: { x: centreX, y: centreY, name: centre },
    partners: partners.map((partner, index) => {
      const y = partners.length === 1 ? centreY : 40 + (index * (height - 80)) / Math.max(1, partners.length - 1);
      return { ...partner, x: 420, y };
    }),
  };
}
