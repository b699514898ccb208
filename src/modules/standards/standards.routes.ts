import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleForm } from '../../platform/http/handle-form.js';
import { InputError } from '../../platform/errors.js';
import { requireSignedIn } from '../identity/index.js';
import type { StandardsService } from './standards.service.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { idSchema } from '../../platform/http/ids.js';
import {
  csrfField,
  idParams,
  pointBodySchema,
  pointParams,
  pointSchema,
  slugParams,
  startAssessmentSchema,
  versionParams,
} from './standards.schemas.js';
import { registerAdoptionRoutes } from './adoption.routes.js';
import { registerAssessmentRoutes } from './assessments.routes.js';

/** The standards pages, the assessment journey and the JSON API. */

/** Published case studies linked to a record, from the knowledge module (wired in app.ts); optional so this module stands alone. */
type LinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) => Promise<unknown[]>;

/** Over 80 lines as a list of route declarations, each a few lines. */
export function registerStandardsRoutes(
  app: FastifyInstance,
  { standardsService, listLinkedCaseStudies }: { standardsService: StandardsService; listLinkedCaseStudies?: LinkedCaseStudies },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/standards',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'List standards with the points of their current version',
        description: 'Every standard that is in consultation, published or retired. `currentVersion` is the newest published version.',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                slug: z.string(),
                title: z.string(),
                purpose: z.string(),
                status: z.string(),
                owner: z.string(),
                currentVersion: z.number().int().nullable(),
                points: z.array(pointSchema),
              }),
            ),
          }),
        },
      },
    },
    async () => ({
      items: (await standardsService.listStandards()).map((standard) => ({ ...standard, owner: standard.ownerName })),
    }),
  );

  api.get(
    '/api/v1/standards/:slug/components',
    {
      config: { publicCache: true },
      schema: {
        tags: ['Standards'],
        summary: 'Catalogue components declared as helping meet points of a standard',
        description: 'Declared by the people who publish each component; point numbers refer to the current version.',
        params: slugParams,
        response: {
          200: z.object({ items: z.array(z.object({ componentSlug: z.string(), pointNumber: z.number().int(), note: z.string() })) }),
        },
      },
    },
    async (request) => ({ items: await standardsService.listComponentPoints(request.params.slug) }),
  );

  api.get('/standards', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('standards/views/list.njk', { title: 'Standards', standards: await standardsService.listStandards() }),
  );

  const renderStandard = async (request: FastifyRequest, reply: FastifyReply, slug: string, version?: number, error?: InputError) => {
    const view = await standardsService.getStandard(slug, request.actor, version);
    return reply.render('standards/views/show.njk', {
      title: view.standard.title,
      view,
      linkedCaseStudies: listLinkedCaseStudies ? await listLinkedCaseStudies('standard', slug) : [],
      linkedCaseStudiesHeading: 'Case studies showing its points met',
      signedIn: request.actor !== null,
      canAssess: request.actor !== null && request.actor.organisationId !== null,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Standards', href: '/standards' },
      ],
    });
  };

  api.get(
    '/standards/:slug',
    {
      config: { publicCache: true },
      schema: { hide: true, params: slugParams, querystring: z.object({ version: idSchema.optional() }) },
    },
    async (request, reply) => renderStandard(request, reply, request.params.slug, request.query.version),
  );

  api.post(
    '/standards/:slug/assessments',
    { schema: { hide: true, params: slugParams, body: startAssessmentSchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      return handleForm(reply, {
        input: request.body,
        schema: startAssessmentSchema,
        act: (form) => standardsService.startAssessment(actor, request.params.slug, { serviceName: form.serviceName }),
        confirm: (id) => ({
          flash: { heading: 'Your assessment is started', text: 'Rate each point; you can save and come back at any time.' },
          redirect: `/standards/assessments/${id}/self-assessment`,
        }),
        rerender: (formReply, { error }) => renderStandard(request, formReply, request.params.slug, undefined, error),
      });
    },
  );

  api.post(
    '/standards/:slug/versions/:version/points/:number/comments',
    { schema: { hide: true, params: pointParams, body: z.object({ comment: z.string().max(10000).default(''), ...csrfField }) } },
    async (request, reply) => {
      const { slug, version, number } = request.params;
      try {
        await standardsService.addComment(requireSignedIn(request), slug, version, number, request.body.comment);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, version, error);
      }
      return reply.redirect(`/standards/${slug}?version=${version}#point-${number}`, 303);
    },
  );

  api.post(
    '/standards/comments/:id/answer',
    { schema: { hide: true, params: idParams, body: z.object({ answer: z.string().max(10000).default(''), ...csrfField }) } },
    async (request, reply) => {
      const where = await standardsService.answerComment(requireSignedIn(request), request.params.id, request.body.answer);
      return reply.redirect(`/standards/${where.slug}?version=${where.versionNumber}`, 303);
    },
  );

  api.post(
    '/standards/:slug/versions',
    { schema: { hide: true, params: slugParams, body: z.object(csrfField) } },
    async (request, reply) => {
      const version = await standardsService.createDraftVersion(requireSignedIn(request), request.params.slug);
      return reply.redirect(`/standards/${request.params.slug}?version=${version.version_number}`, 303);
    },
  );

  api.post(
    '/standards/:slug/versions/:version/points/:number',
    {
      schema: {
        hide: true,
        params: pointParams,
        body: pointBodySchema,
      },
    },
    async (request, reply) => {
      const { slug, version, number } = request.params;
      const actor = requireSignedIn(request);
      return handleForm(reply, {
        input: request.body,
        schema: pointBodySchema,
        act: (point) => standardsService.updatePoint(actor, slug, version, number, point),
        confirm: () => ({
          flash: { heading: `Point ${number} of version ${version} is saved` },
          redirect: `/standards/${slug}?version=${version}#point-${number}`,
        }),
        rerender: (formReply, { error }) => renderStandard(request, formReply, slug, version, error),
      });
    },
  );

  api.post(
    '/standards/:slug/components',
    {
      schema: {
        hide: true,
        params: slugParams,
        body: z.object({
          component: z.string().max(200).default(''),
          point: z.string().max(10).default(''),
          note: z.string().max(2000).default(''),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { slug } = request.params;
      const pointNumber = Number(request.body.point);
      try {
        await standardsService.declareComponentPoint(actor, {
          componentSlug: request.body.component,
          standardSlug: slug,
          pointNumber: Number.isInteger(pointNumber) ? pointNumber : 0,
          note: request.body.note,
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, undefined, error);
      }
      return reply.redirect(`/standards/${slug}#point-${pointNumber}`, 303);
    },
  );

  api.post('/standards/:slug/retire', { schema: { hide: true, params: slugParams, body: z.object(csrfField) } }, async (request, reply) => {
    await standardsService.retireStandard(requireSignedIn(request), request.params.slug);
    return reply.redirect(`/standards/${request.params.slug}`, 303);
  });

  api.post(
    '/standards/:slug/versions/:version/status',
    {
      schema: {
        hide: true,
        params: versionParams,
        body: z.object({ status: z.enum(['consultation', 'published']), changesSummary: z.string().max(5000).default(''), ...csrfField }),
      },
    },
    async (request, reply) => {
      const { slug, version } = request.params;
      try {
        await standardsService.changeVersionStatus(
          requireSignedIn(request),
          slug,
          version,
          request.body.status,
          request.body.changesSummary,
        );
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderStandard(request, reply.status(400), slug, version, error);
      }
      return reply.redirect(`/standards/${slug}?version=${version}`, 303);
    },
  );

  registerAdoptionRoutes(app, { standardsService });
  registerAssessmentRoutes(app, { standardsService });
}
