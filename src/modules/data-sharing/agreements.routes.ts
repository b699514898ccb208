/**
 * The register of data-sharing agreements: list (CSV/JSON), public page, the readable document, the form to
 * record and change one, lifecycle changes, and `GET /api/v1/data-sharing/agreements`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { InputError } from '../../platform/errors.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { buildPagination, pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireOrganisationMember, requireSignedIn } from '../identity/index.js';
import { AGREEMENT_STATUS_LABELS } from './agreements.labels.js';
import { agreementCsvColumns, agreementFormView, crumbs, labels, statusItems } from './agreements.presenters.js';
import { agreementInputFromForm, agreementListSchema, filterSchema, formSchema, slugParams, statusBody } from './agreements.schemas.js';
import type { AgreementsService } from './agreements.service.js';
import type { AgreementInput } from './agreements.types.js';
import { AGREEMENT_STATUSES } from './data-sharing.tables.js';
import type { DataStandardsService } from './data-standards.service.js';
import { registerFlowsRoutes } from './flows.routes.js';

/** The agreements' pages and API, and each council's flows. Over 80 lines as a list of route declarations, each a few lines. */
export function registerAgreementsRoutes(
  app: FastifyInstance,
  { agreementsService, dataStandardsService }: { agreementsService: AgreementsService; dataStandardsService: DataStandardsService },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const renderForm = async (reply: FastifyReply, context: { input: AgreementInput; editSlug?: string; error?: InputError }) => {
    const standards = await dataStandardsService.listStandards({});
    return reply.status(context.error ? 400 : 200).render('data-sharing/views/agreement-form.njk', agreementFormView(context, standards));
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
        response: { 200: agreementListSchema },
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
      if (csv) return sendCsv(reply, 'data-sharing-agreements.csv', agreementCsvColumns, result.items);
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
      input: agreementInputFromForm(formSchema.parse({ dpiaStatus: 'not-started', leadRole: 'controller' })),
    });
  });

  api.post('/data-sharing/agreements', { schema: { hide: true, body: formSchema } }, async (request, reply) => {
    const actor = requireOrganisationMember(request);
    const input = agreementInputFromForm(request.body);
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
        statusItems: statusItems(detail.nextStatuses),
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
      const input = agreementInputFromForm(request.body);
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
        body: statusBody,
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
          statusItems: statusItems(detail.nextStatuses),
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

  registerFlowsRoutes(app, { agreementsService });
}
