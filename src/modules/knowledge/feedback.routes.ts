import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { buildPagination, pageQuerySchema } from '../../platform/http/lists.js';
import { requireSignedIn } from '../identity/index.js';
import type { FeedbackService } from './feedback.service.js';

const PAGE_SIZE = 50;
const feedbackBody = z.object({
  body: z.string().max(20_000).default(''),
  doing: z.string().max(5_000).default(''),
  replyEmail: z.string().max(1_000).default(''),
  _csrf: z.string().optional(),
});

/** "Tell us what you think": the feedback form, its confirmation, and the platform admins' list of what was sent. */
export function registerFeedbackRoutes(app: FastifyInstance, { feedbackService }: { feedbackService: FeedbackService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const renderForm = (reply: FastifyReply, values: Record<string, string> = {}, error?: InputError) =>
    reply.header('Cache-Control', 'no-store').render('knowledge/views/feedback.njk', {
      title: 'Tell us what you think',
      values,
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [{ text: 'Home', href: '/' }],
    });

  api.get('/feedback', { schema: { hide: true } }, async (_request, reply) => renderForm(reply));

  api.post(
    '/feedback',
    { schema: { hide: true, body: feedbackBody } },
    async (request: FastifyRequest<{ Body: z.infer<typeof feedbackBody> }>, reply) => {
      const { _csrf: _ignored, ...values } = request.body;
      try {
        await feedbackService.sendFeedback(request.actor, values);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderForm(reply.status(400), values, error);
      }
      return reply.redirect('/feedback/sent', 303);
    },
  );

  api.get('/feedback/sent', { config: { publicCache: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.render('knowledge/views/feedback-sent.njk', { title: 'Feedback sent', breadcrumbs: [{ text: 'Home', href: '/' }] }),
  );

  api.get('/manage/feedback', { schema: { hide: true, querystring: pageQuerySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const page = request.query.page;
    const { rows, total } = await feedbackService.listFeedback(actor, page, PAGE_SIZE);
    return reply.header('Cache-Control', 'no-store').render('knowledge/views/feedback-list.njk', {
      title: 'Feedback about the service',
      rows,
      total,
      page,
      pageSize: PAGE_SIZE,
      pagination: buildPagination('/manage/feedback', {}, page, PAGE_SIZE, total),
      breadcrumbs: [{ text: 'Home', href: '/' }],
    });
  });
}
