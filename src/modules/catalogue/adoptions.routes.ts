import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import { InputError, NotAllowedError } from '../../platform/errors.js';
import { describeAccess } from '../../platform/http/access.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { pageQuerySchema, sendCsv, wantsCsv } from '../../platform/http/lists.js';
import { requireApiWriter, requireSignedIn } from '../identity/index.js';
import { ADOPTION_LABELS, EVIDENCE_LABELS, FRESHNESS_MONTHS } from './catalogue.labels.js';
import { ADOPTION_STATUSES, EVIDENCE_KINDS } from './catalogue.tables.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { breadcrumbs, type CatalogueRoutesOptions, refuseWithoutWriteToken, WRITE_NOTE } from './catalogue.http.js';
import { csrfField, slugParams } from './components.schemas.js';
import {
  adoptionBodySchema,
  type AdoptionForm,
  adoptionFormSchema,
  adoptionInputFromForm,
  declarationSchema,
} from './adoptions.schemas.js';
import { declarationCsvColumns, presentDeclaration } from './adoptions.presenters.js';

/** Adoptions: declaring, confirming and listing who uses a component (pages and JSON API). Over 80 lines as a list of route declarations, each a few lines. */
export function registerAdoptionRoutes(app: FastifyInstance, { catalogueService }: CatalogueRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
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
