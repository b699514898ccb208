import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InputError } from '../../platform/errors.js';
import { fieldErrors, formErrors } from '../../platform/http/forms.js';
import { requireSignedIn } from '../identity/index.js';
import { checkInBodySchema, roundPairsSchema, signUpBodySchema } from './mentoring.schemas.js';
import { MAX_CHOICES, type MentoringService } from './mentoring.service.js';
import { workforcePolicy } from './workforce.policy.js';

const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const crumbs = [
  { text: 'Home', href: '/' },
  { text: 'Workforce', href: '/workforce' },
];

/** The mentoring page: the open round and its sign-up form, the person's pairings, and the rounds for admins. */
async function renderMentoring(
  mentoringService: MentoringService,
  request: FastifyRequest,
  reply: FastifyReply,
  values: Record<string, unknown> = {},
  error?: InputError,
) {
  const actor = requireSignedIn(request);
  const [{ round, participants }, mine, rounds] = await Promise.all([
    mentoringService.getOpenRound(),
    mentoringService.getMyMentoring(actor),
    workforcePolicy.canRunMentoring(actor) ? mentoringService.listRounds() : Promise.resolve([]),
  ]);
  const signedUp = round !== null && mine.signUps.some((entry) => entry.round_id === round.id);
  const people = (side: string) =>
    participants
      .filter((person) => person.side === side && person.user_id !== actor.userId)
      .map((person) => ({
        value: String(person.id),
        text: `${person.name}${person.organisation_name ? `, ${person.organisation_name}` : ''} (leads in ${person.leads_in})`,
      }));
  return reply
    .status(error ? 400 : 200)
    .header('Cache-Control', 'no-store')
    .render('workforce/views/mentoring.njk', {
      title: 'Mentoring',
      round,
      signedUp,
      mine,
      mentors: people('mentor'),
      mentees: people('mentee'),
      values,
      choiceNumbers: Array.from({ length: MAX_CHOICES }, (_, index) => index + 1),
      errors: fieldErrors(error),
      errorSummary: error ? formErrors(error) : undefined,
      rounds: rounds.map((entry) => ({ ...entry, participants: undefined })),
      isAdmin: workforcePolicy.canRunMentoring(actor),
      breadcrumbs: crumbs,
    });
}

/**
 * Mentoring: sign-up, a person's pairings with check-ins and feedback, running rounds, and the pairs API. Over
 * 80 lines as a list of route declarations, each handler short.
 */
export function registerMentoringRoutes(app: FastifyInstance, { mentoringService }: { mentoringService: MentoringService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/mentoring/rounds/:id/pairs',
    {
      schema: {
        tags: ['Workforce'],
        summary: 'A mentoring round’s pairs (platform admins)',
        description:
          'The pairs, the unmatched mentees and every preference list (with ties) and capacity, enough to check the matching is stable.',
        params: idParams,
        response: { 200: roundPairsSchema },
      },
    },
    async (request) => mentoringService.getRoundPairs(requireSignedIn(request), request.params.id),
  );

  api.get('/mentoring', { schema: { hide: true } }, async (request, reply) => renderMentoring(mentoringService, request, reply));

  api.post('/mentoring/sign-up', { schema: { hide: true, body: signUpBodySchema } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const body = request.body;
    const choices = [body.choice1, body.choice2, body.choice3, body.choice4, body.choice5].filter((value) => value !== '');
    const bans = body.bans === undefined ? [] : Array.isArray(body.bans) ? body.bans : [body.bans];
    try {
      await mentoringService.signUp(actor, { ...body, choices, bans });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return renderMentoring(mentoringService, request, reply, body, error);
    }
    return reply.header('Cache-Control', 'no-store').render('workforce/views/done.njk', {
      title: 'You have signed up for mentoring',
      panel: 'You have signed up',
      paragraphs: [
        'When the round closes, everyone is matched at once so that no mentor takes more people than they offered and no two people who would both rather be paired together are kept apart.',
        'We will email you who you are matched with, and why. If we cannot match you, you go to the front of the waitlist for the next round.',
      ],
      next: { href: '/mentoring', text: 'Back to mentoring' },
    });
  });

  api.post(
    '/mentoring/rounds/:id/match',
    { schema: { hide: true, params: idParams, body: z.object({ _csrf: z.string().optional() }) } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      const result = await mentoringService.matchRound(actor, request.params.id);
      return reply.header('Cache-Control', 'no-store').render('workforce/views/done.njk', {
        title: 'Round matched',
        panel: 'Round matched',
        paragraphs: [`${result.pairs} pairs made and emailed. ${result.waitlisted} people carried to the next round’s waitlist.`],
        next: { href: '/mentoring', text: 'Back to mentoring' },
      });
    },
  );

  api.post(
    '/mentoring/rounds',
    { schema: { hide: true, body: z.object({ name: z.string().max(200).default(''), _csrf: z.string().optional() }) } },
    async (request, reply) => {
      await mentoringService.openRound(requireSignedIn(request), request.body.name);
      return reply
        .flash({
          heading: `The round “${request.body.name.trim().slice(0, 200) || 'Mentoring round'}” is open`,
          text: 'Mentors and mentees can sign up for it now; match it when sign-ups close.',
        })
        .redirect('/mentoring', 303);
    },
  );

  const renderPairing = async (request: FastifyRequest, reply: FastifyReply, id: number, error?: InputError) => {
    const actor = requireSignedIn(request);
    const { pairings } = await mentoringService.getMyMentoring(actor);
    const pairing = pairings.find((entry) => entry.id === id);
    if (!pairing) return reply.status(404).render('error.njk', { title: 'Page not found', paragraphs: ['You are not in this pairing.'] });
    return reply
      .status(error ? 400 : 200)
      .header('Cache-Control', 'no-store')
      .render('workforce/views/pairing.njk', {
        title: `Your mentoring with ${pairing.partner?.name ?? 'your partner'}`,
        pairing,
        errors: fieldErrors(error),
        errorSummary: error ? formErrors(error) : undefined,
        breadcrumbs: [...crumbs, { text: 'Mentoring', href: '/mentoring' }],
      });
  };

  api.get('/mentoring/pairings/:id', { schema: { hide: true, params: idParams } }, async (request, reply) =>
    renderPairing(request, reply, request.params.id),
  );

  api.post(
    '/mentoring/pairings/:id/check-ins',
    { schema: { hide: true, params: idParams, body: checkInBodySchema } },
    async (request, reply) => {
      const actor = requireSignedIn(request);
      try {
        await mentoringService.recordCheckIn(actor, request.params.id, request.body);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return renderPairing(request, reply, request.params.id, error);
      }
      const words = {
        'check-in': [
          'Check-in saved',
          'Thank you. Your partner does not see your note; the scheme’s organisers use it to see which pairings need help.',
        ],
        feedback: ['Feedback saved', 'Thank you. Your feedback helps us match people better in the next round.'],
        report: ['Report received', 'We have ended the pairing and will be in touch. You can sign up again for the next round.'],
      }[request.body.kind];
      return reply.header('Cache-Control', 'no-store').render('workforce/views/done.njk', {
        title: words[0],
        panel: words[0],
        paragraphs: [words[1]],
        next: { href: `/mentoring/pairings/${request.params.id}`, text: 'Back to your pairing' },
      });
    },
  );

  api.post(
    '/mentoring/pairings/:id/end',
    {
      schema: { hide: true, params: idParams, body: z.object({ reason: z.string().max(2000).default(''), _csrf: z.string().optional() }) },
    },
    async (request, reply) => {
      await mentoringService.endPairing(requireSignedIn(request), request.params.id, request.body.reason);
      return reply.header('Cache-Control', 'no-store').render('workforce/views/done.njk', {
        title: 'Pairing ended',
        panel: 'Pairing ended',
        paragraphs: ['Please tell us how it went: it takes a minute.'],
        next: { href: `/mentoring/pairings/${request.params.id}#feedback`, text: 'Give feedback' },
      });
    },
  );
}
