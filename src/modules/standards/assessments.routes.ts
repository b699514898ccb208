import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { requireSignedIn } from '../identity/index.js';
import type { RatingInput } from './standards.types.js';
import { BASIS_LABELS, RATING_LABELS, RATINGS } from './standards.labels.js';
import type { StandardsService } from './standards.service.js';
import type { Rating } from './standards.tables.js';
import { formErrors, fieldErrors } from '../../platform/http/forms.js';
import { csrfField, dateFromFields, formBody, idParams, text } from './standards.schemas.js';
import { REVIEWERS } from './standards.presenters.js';

/** The assessment journey: an organisation’s assessments, rating, peer review, audit, sign-off, owners and actions. Over 80 lines as a list of route declarations, each a few lines. */
export function registerAssessmentRoutes(app: FastifyInstance, { standardsService }: { standardsService: StandardsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/standards/your-organisation', { schema: { hide: true } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const overview = await standardsService.getOrganisationOverview(actor);
    return reply.header('Cache-Control', 'no-store').render('standards/views/organisation.njk', {
      title: 'Your assessments',
      overview,
      actor,
      standards: await standardsService.listStandards(),
    });
  });

  const renderAssessment = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    error?: InputError,
    values: Record<string, string> = {},
  ) => {
    const actor = requireSignedIn(request);
    const view = await standardsService.getAssessment(actor, id);
    return reply.header('Cache-Control', 'no-store').render('standards/views/assessment.njk', {
      title: `${view.assessment.standard_title}: ${view.assessment.service_name ?? view.assessment.organisation_name}`,
      view,
      ratingLabels: RATING_LABELS,
      basisLabels: BASIS_LABELS,
      values,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Your assessments', href: '/standards/your-organisation' },
      ],
    });
  };

  api.get('/standards/assessments/:id', { schema: { hide: true, params: idParams } }, async (request, reply) =>
    renderAssessment(request, reply, request.params.id),
  );

  for (const { reviewer, path: reviewerPath, title, action } of REVIEWERS) {
    const renderRating = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      error?: InputError,
      values?: Record<string, string | string[]>,
    ) => {
      const actor = requireSignedIn(request);
      const view = await standardsService.getAssessment(actor, id);
      const allowed = reviewer === 'self' ? view.can.selfAssess : reviewer === 'peer' ? view.can.peerReview : view.can.audit;
      const own = (row: (typeof view.rows)[number]) => (reviewer === 'self' ? row.self : reviewer === 'peer' ? row.peer : row.audit);
      const value = (name: string, fallback: string) => (values ? text(values, name) : fallback);
      return reply.header('Cache-Control', 'no-store').render('standards/views/rate.njk', {
        title: `${title}: ${view.assessment.standard_title}`,
        heading: title,
        action,
        formAction: `/standards/assessments/${id}/${reviewerPath}`,
        reviewer,
        allowed,
        view,
        ratingLabels: RATING_LABELS,
        points: view.rows.map((row) => {
          const saved = own(row);
          const n = row.point.number;
          const chosen = value(`rating-${n}`, saved?.rating ?? '');
          return {
            ...row,
            ratingItems: RATINGS.map((rating) => ({ value: rating, text: RATING_LABELS[rating], checked: chosen === rating })),
            commentary: value(`commentary-${n}`, saved?.commentary ?? ''),
            links: value(`links-${n}`, (saved?.evidence_links ?? []).join('\n')),
            components: value(`components-${n}`, (saved?.component_slugs ?? []).join(', ')),
          };
        }),
        errorSummary: error ? formErrors(error) : undefined,
        errors: fieldErrors(error),
        breadcrumbs: [
          { text: 'Home', href: '/' },
          { text: 'Your assessments', href: '/standards/your-organisation' },
          { text: 'Assessment', href: `/standards/assessments/${id}` },
        ],
      });
    };

    api.get(`/standards/assessments/:id/${reviewerPath}`, { schema: { hide: true, params: idParams } }, async (request, reply) =>
      renderRating(request, reply, request.params.id),
    );

    api.post(
      `/standards/assessments/:id/${reviewerPath}`,
      { schema: { hide: true, params: idParams, body: formBody } },
      async (request, reply) => {
        const actor = requireSignedIn(request);
        const body = request.body;
        const numbers = new Set(
          Object.keys(body).flatMap((key) => {
            const match = /^(?:rating|commentary|links|components)-(\d+)$/.exec(key);
            return match?.[1] ? [Number(match[1])] : [];
          }),
        );
        const inputs: RatingInput[] = [...numbers].map((number) => {
          const rating = text(body, `rating-${number}`);
          return {
            pointNumber: number,
            rating: (RATINGS as readonly string[]).includes(rating) ? (rating as Rating) : null,
            commentary: text(body, `commentary-${number}`),
            evidenceLinks: text(body, `links-${number}`),
            componentSlugs: text(body, `components-${number}`),
          };
        });
        const complete = text(body, 'intent') === 'complete';
        try {
          await standardsService.saveRatings(actor, request.params.id, reviewer, inputs, complete);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          return renderRating(request, reply.status(400), request.params.id, error, body);
        }
        return reply
          .flash(
            complete
              ? { heading: 'Your ratings are submitted', text: 'The assessment shows what happens next.' }
              : { heading: 'Your ratings are saved', text: 'Nothing is submitted yet: come back to finish and submit them.' },
          )
          .redirect(
            complete ? `/standards/assessments/${request.params.id}` : `/standards/assessments/${request.params.id}/${reviewerPath}`,
            303,
          );
      },
    );
  }

  api.post(
    '/standards/assessments/:id/peer-review-request',
    { schema: { hide: true, params: idParams, body: z.object({ peerOrganisation: z.string().max(20).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const chosen = request.body.peerOrganisation ? Number(request.body.peerOrganisation) : null;
      try {
        await standardsService.requestPeerReview(actor, request.params.id, chosen !== null && Number.isInteger(chosen) ? chosen : null);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderAssessment(request, reply.status(400), request.params.id, error);
      }
      return reply
        .flash({ heading: 'Peer review is requested', text: 'The other council’s admins are asked to review this assessment.' })
        .redirect(`/standards/assessments/${request.params.id}`, 303);
    },
  );

  api.post(
    '/standards/assessments/:id/sign-off',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      await standardsService.signOff(requireSignedIn(request), request.params.id);
      return reply.redirect(`/standards/assessments/${request.params.id}/signed-off`, 303);
    },
  );

  api.get('/standards/assessments/:id/signed-off', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const view = await standardsService.getAssessment(actor, request.params.id);
    if (view.assessment.signed_off_at === null) return reply.redirect(`/standards/assessments/${request.params.id}`, 303);
    const adoption = await standardsService.measureAdoption(view.assessment.standard_slug);
    return reply.header('Cache-Control', 'no-store').render('standards/views/signed-off.njk', {
      title: 'Assessment signed off',
      assessment: view.assessment,
      adoption,
      targetPercentage: Math.round(adoption.target * 100),
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Your assessments', href: '/standards/your-organisation' },
        { text: 'Assessment', href: `/standards/assessments/${request.params.id}` },
      ],
    });
  });

  api.post(
    '/standards/assessments/:id/owner',
    { schema: { hide: true, params: idParams, body: z.object({ owner: z.string().max(20).default(''), ...csrfField }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const chosen = /^[1-9]\d{0,9}$/.test(request.body.owner) ? Number(request.body.owner) : null;
      try {
        await standardsService.nameOwner(actor, request.params.id, chosen);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderAssessment(request, reply.status(400), request.params.id, error);
      }
      return reply.redirect(`/standards/assessments/${request.params.id}#sign-off`, 303);
    },
  );

  api.post(
    '/standards/assessments/:id/actions',
    {
      schema: {
        hide: true,
        params: idParams,
        body: z.object({
          actionDescription: z.string().max(5000).default(''),
          actionOwner: z.string().max(500).default(''),
          actionOwnerEmail: z.string().max(500).default(''),
          'actionDue-day': z.string().max(10).default(''),
          'actionDue-month': z.string().max(10).default(''),
          'actionDue-year': z.string().max(10).default(''),
          actionPoint: z.string().max(10).default(''),
          ...csrfField,
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const body = request.body;
      try {
        await standardsService.addAction(actor, request.params.id, {
          description: body.actionDescription,
          ownerName: body.actionOwner,
          ownerEmail: body.actionOwnerEmail,
          dueOn: dateFromFields(body['actionDue-day'], body['actionDue-month'], body['actionDue-year']),
          pointNumber: body.actionPoint ? Number(body.actionPoint) : null,
        });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const { _csrf: _ignored, ...values } = body;
        return renderAssessment(request, reply.status(400), request.params.id, error, values);
      }
      return reply
        .flash({ heading: 'The action is added to the plan' })
        .redirect(`/standards/assessments/${request.params.id}#actions`, 303);
    },
  );

  api.post(
    '/standards/actions/:id/done',
    { schema: { hide: true, params: idParams, body: z.object(csrfField) } },
    async (request, reply) => {
      const assessmentId = await standardsService.completeAction(requireSignedIn(request), request.params.id);
      return reply.flash({ heading: 'The action is marked as done' }).redirect(`/standards/assessments/${assessmentId}#actions`, 303);
    },
  );
}
