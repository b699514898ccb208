import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { requireSignedIn } from '../identity/index.js';
import type { WebhooksService } from './webhooks.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const breadcrumbs = [{ text: 'Knowledge', href: '/knowledge' }];

/** An organisation's webhooks: register (secret shown once), the delivery log, turning one back on. */
export function registerWebhookRoutes(app: FastifyInstance, { webhooksService }: { webhooksService: WebhooksService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const renderList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: { url?: string; eventTypes?: string[] },
    error?: InputError,
    created?: { id: number; secret: string },
  ) => {
    const actor = requireSignedIn(request);
    const webhooks = await webhooksService.listWebhooks(actor);
    return reply.header('Cache-Control', 'no-store').render('knowledge/views/webhooks.njk', {
      title: 'Webhooks',
      webhooks,
      created,
      values,
      eventOptions: webhooksService
        .listEventTypes()
        .map((type) => ({ value: type, text: type, checked: values.eventTypes?.includes(type) ?? false })),
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs,
    });
  };

  api.get('/webhooks', { schema: { hide: true } }, async (request, reply) => renderList(request, reply, {}));

  api.post(
    '/webhooks',
    {
      schema: {
        hide: true,
        body: z.object({
          url: z.string().max(1000).default(''),
          eventTypes: z.union([z.string().max(100), z.array(z.string().max(100)).max(100)]).optional(),
          _csrf: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const eventTypes =
        request.body.eventTypes === undefined
          ? []
          : Array.isArray(request.body.eventTypes)
            ? request.body.eventTypes
            : [request.body.eventTypes];
      try {
        const created = await webhooksService.registerWebhook(actor, { url: request.body.url, eventTypes });
        // The secret is shown on this one answer only (it is never shown again), so this page is not a redirect.
        return renderList(request, reply.status(201), {}, undefined, created);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderList(request, reply.status(400), { url: request.body.url, eventTypes }, error);
      }
    },
  );

  api.get('/webhooks/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const webhook = await webhooksService.getWebhook(requireSignedIn(request), request.params.id);
    return reply.header('Cache-Control', 'no-store').render('knowledge/views/webhook.njk', {
      title: `Webhook to ${webhook.url}`,
      webhook,
      breadcrumbs: [...breadcrumbs, { text: 'Webhooks', href: '/webhooks' }],
    });
  });

  api.post(
    '/webhooks/:id/enable',
    { schema: { hide: true, params: idParams, body: z.object({ _csrf: z.string().optional() }) } },
    async (request, reply) => {
      await webhooksService.enableWebhook(requireSignedIn(request), request.params.id);
      return reply
        .flash({ heading: 'The webhook is on again', text: 'Changes are sent to it from now on; its failure count starts again.' })
        .redirect(`/webhooks/${request.params.id}`, 303);
    },
  );
}
