import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import type { FlashMessage } from '../../platform/http/flash.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { requireSignedIn } from '../identity/index.js';
import { SERVICE_AREA_LABELS, SERVICE_AREAS } from '../challenges/index.js';
import { buildTopicFeed } from './knowledge.feed.js';
import { TOPIC_KIND_LABELS } from './knowledge.labels.js';
import type { SearchService } from './search.service.js';
import { describeTopic, parseTopic, type SubscriptionsService } from './subscriptions.service.js';

const tokenParams = z.object({ token: z.string().min(1).max(100) });
const CONFIRMATIONS = {
  followed: {
    heading: 'You are following it',
    text: 'Your digest will list what changes.',
    next: { href: '/subscriptions', text: 'See everything you follow' },
  },
  unfollowed: { heading: 'You no longer follow it', text: 'Your digest will not list its changes.' },
} satisfies Record<string, FlashMessage>;

/** A safe place to go back to after following: a path on this site only. */
function localPath(value: string | undefined): string | null {
  return value && /^\/[^/\\]/.test(value) ? value : null;
}

/**
 * Following topics, digests' one-click unsubscribe (RFC 8058) and Atom feeds per topic.
 * Over 80 lines as a list of route declarations, each handler short.
 */
export function registerSubscriptionRoutes(
  app: FastifyInstance,
  {
    subscriptionsService,
    searchService,
    publicBaseUrl,
  }: { subscriptionsService: SubscriptionsService; searchService: SearchService; publicBaseUrl: string },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const renderPage = async (
    request: Parameters<typeof requireSignedIn>[0],
    reply: FastifyReply,
    values: Record<string, string>,
    error?: InputError,
  ) => {
    const actor = requireSignedIn(request);
    const following = await subscriptionsService.listFollowing(actor);
    return reply.header('Cache-Control', 'no-store').render('knowledge/views/subscriptions.njk', {
      title: 'What you follow',
      following,
      values,
      serviceAreaOptions: [
        { value: '', text: 'Choose a service area' },
        ...SERVICE_AREAS.map((area) => ({
          value: `service-area:${area}`,
          text: SERVICE_AREA_LABELS[area],
          selected: values.topic === `service-area:${area}`,
        })),
      ],
      kindOptions: Object.entries(TOPIC_KIND_LABELS).map(([value, text]) => ({ value, text, selected: values.kind === value })),
      errorSummary: error ? formErrors(error) : undefined,
      errors: fieldErrors(error),
      breadcrumbs: [{ text: 'Knowledge', href: '/knowledge' }],
    });
  };

  api.get('/subscriptions', { schema: { hide: true } }, async (request, reply) => renderPage(request, reply, {}));

  api.post(
    '/subscriptions',
    {
      schema: {
        hide: true,
        body: z.object({
          topic: z.string().max(300).default(''),
          kind: z.string().max(50).default(''),
          value: z.string().max(250).default(''),
          frequency: z.string().max(10).default('weekly'),
          returnTo: z.string().max(300).optional(),
          _csrf: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const { kind, value, frequency, returnTo } = request.body;
      // A topic comes whole (a follow button) or as a kind and a value (the form on the page).
      const topic = request.body.topic || (kind && value.trim() ? `${kind}:${value.trim()}` : '');
      try {
        await subscriptionsService.follow(actor, topic, frequency);
        const back = localPath(returnTo);
        return reply
          .flash(back ? CONFIRMATIONS.followed : { ...CONFIRMATIONS.followed, next: undefined })
          .redirect(back ?? '/subscriptions', 303);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderPage(request, reply.status(400), { topic, kind, value, frequency }, error);
      }
    },
  );

  api.post(
    '/subscriptions/:id/delete',
    {
      schema: {
        hide: true,
        params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
        body: z.object({ _csrf: z.string().optional() }),
      },
    },
    async (request, reply) => {
      await subscriptionsService.unfollow(requireSignedIn(request), request.params.id);
      return reply.flash(CONFIRMATIONS.unfollowed).redirect('/subscriptions', 303);
    },
  );

  api.get('/subscriptions/unsubscribe/:token', { schema: { hide: true, params: tokenParams } }, async (request, reply) => {
    const digest = await subscriptionsService.findDigestByToken(request.params.token);
    return reply
      .header('Cache-Control', 'no-store')
      .render('knowledge/views/unsubscribe.njk', { title: 'Stop your digest', digest, token: request.params.token, done: false });
  });

  api.post(
    '/subscriptions/unsubscribe/:token',
    { schema: { hide: true, params: tokenParams, body: z.object({ _csrf: z.string().optional() }) } },
    async (request, reply) => {
      await subscriptionsService.unsubscribe(request.params.token, request.actor);
      return reply
        .header('Cache-Control', 'no-store')
        .render('knowledge/views/unsubscribe.njk', { title: 'You are unsubscribed', done: true });
    },
  );

  // RFC 8058 one-click unsubscribe: mail programs POST "List-Unsubscribe=One-Click" here with no cookies; the token is the authority.
  api.post(
    '/api/v1/unsubscribe/:token',
    {
      schema: {
        tags: ['Knowledge'],
        summary: 'One-click unsubscribe from a digest',
        description:
          'The List-Unsubscribe-Post target of digest emails (RFC 8058): the token in the address is the authority, no sign-in needed. Ends the digest and every topic in it; a token not in use is refused (403).',
        params: tokenParams,
        response: { 200: z.object({ unsubscribed: z.boolean() }) },
      },
    },
    async (request) => {
      await subscriptionsService.unsubscribe(request.params.token, request.actor);
      return { unsubscribed: true };
    },
  );

  api.get(
    '/knowledge/feed.atom',
    {
      config: { publicCache: true },
      schema: { hide: true, querystring: z.object({ topic: z.string().max(300).describe('A topic, e.g. component:localgov-drupal') }) },
    },
    async (request, reply) => {
      const parsed = parseTopic(request.query.topic);
      if (!parsed) throw new InputError('Name a topic such as component:localgov-drupal or service-area:housing');
      const topic = `${parsed.kind}:${parsed.value}`;
      const changes = await searchService.listRecentChanges(topic, 50);
      return reply.type('application/atom+xml; charset=utf-8').send(
        buildTopicFeed({
          baseUrl: publicBaseUrl,
          title: `${describeTopic(topic)} – Local Digital Commons`,
          selfPath: `/knowledge/feed.atom?topic=${encodeURIComponent(topic)}`,
          changes,
          now: new Date(),
        }),
      );
    },
  );
}
