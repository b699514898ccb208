import crypto from 'node:crypto';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed, type Persona } from '../support/authorisation.js';
import { buildCaseStudyInput, insertCaseStudy } from '../../src/modules/knowledge/knowledge.factories.js';

const everyoneSignedIn = onlyAllowed(
  'unaffiliated',
  'otherOrganisationMember',
  'member',
  'organisationAdmin',
  'assessor',
  'supplier',
  'platformAdmin',
);
const everyone = onlyAllowed(
  'anonymous',
  'unaffiliated',
  'otherOrganisationMember',
  'member',
  'organisationAdmin',
  'assessor',
  'supplier',
  'platformAdmin',
);

/** A digest with one followed topic for a person (the member's, for the public), returning its token and subscription. */
async function buildDigest(world: MatrixWorld, persona: Persona): Promise<{ token: string; subscriptionId: number }> {
  const person = persona === 'anonymous' ? world.people.member : world.people[persona];
  const token = crypto.randomBytes(24).toString('base64url');
  const digest = await world.db
    .insertInto('knowledge_digests')
    .values({ user_id: person.id, frequency: 'weekly', unsubscribe_token: token, last_change_id: 0 })
    .onConflict((conflict) => conflict.columns(['user_id', 'frequency']).doUpdateSet({ unsubscribe_token: token }))
    .returning('id')
    .executeTakeFirstOrThrow();
  const subscription = await world.db
    .insertInto('knowledge_subscriptions')
    .values({ digest_id: digest.id, topic: `region:Matrix ${crypto.randomBytes(3).toString('hex')}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, subscriptionId: subscription.id };
}

async function buildWebhook(world: MatrixWorld): Promise<number> {
  const row = await world.db
    .insertInto('knowledge_webhooks')
    .values({
      organisation_id: world.home.id,
      url: 'https://receiver.example.test/hook',
      secret: 'matrix-secret',
      event_types: ['case-study.added'],
      active: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Who may use each state-changing route of the knowledge module. */
export const knowledgeAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /feedback',
    kind: 'form',
    // Anyone may tell the institute what they think, signed in or not (the form still needs its CSRF token).
    expect: everyone,
    prepare: () => Promise.resolve({ url: '/feedback', body: { body: 'The spend pages helped.', doing: 'Comparing spend' } }),
  },
  {
    route: 'POST /case-studies',
    kind: 'form',
    expect: onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin'),
    prepare: async () => ({ url: '/case-studies', body: { ...(buildCaseStudyInput() as Record<string, string>), intent: 'draft' } }),
  },
  {
    route: 'POST /case-studies/:slug/edit',
    kind: 'form',
    expect: onlyAllowed('member', 'organisationAdmin', 'platformAdmin'),
    prepare: async (world) => {
      const { slug } = await insertCaseStudy(world.db, { organisationId: world.home.id, status: 'draft' });
      return { url: `/case-studies/${slug}/edit`, body: { ...(buildCaseStudyInput() as Record<string, string>), intent: 'draft' } };
    },
  },
  {
    route: 'POST /case-studies/:slug/review',
    kind: 'form',
    // Another council or the institute reviews; never the author's own council, nor a supplier.
    expect: onlyAllowed('otherOrganisationMember', 'assessor', 'platformAdmin'),
    prepare: async (world) => {
      const { slug } = await insertCaseStudy(world.db, { organisationId: world.home.id, status: 'submitted' });
      return { url: `/case-studies/${slug}/review`, body: { outcome: 'confirm', confirmedLevel: '2', note: '' } };
    },
  },
  {
    route: 'POST /case-studies/:slug/replications',
    kind: 'form',
    expect: onlyAllowed('otherOrganisationMember'),
    prepare: async (world) => {
      const { slug } = await insertCaseStudy(world.db, { organisationId: world.home.id, status: 'published' });
      return { url: `/case-studies/${slug}/replications`, body: { summary: 'We did this too.' } };
    },
  },
  {
    route: 'POST /subscriptions',
    kind: 'form',
    expect: everyoneSignedIn,
    prepare: async () => ({
      url: '/subscriptions',
      body: { topic: `region:Matrix ${crypto.randomBytes(3).toString('hex')}`, frequency: 'daily' },
    }),
  },
  {
    route: 'POST /subscriptions/:id/delete',
    kind: 'form',
    expect: everyoneSignedIn,
    prepare: async (world, persona) => ({ url: `/subscriptions/${(await buildDigest(world, persona)).subscriptionId}/delete` }),
  },
  {
    route: 'POST /subscriptions/unsubscribe/:token',
    kind: 'form',
    // The emailed link is the authority: whoever holds it may use it, signed in or not.
    expect: everyone,
    prepare: async (world, persona) => ({ url: `/subscriptions/unsubscribe/${(await buildDigest(world, persona)).token}` }),
  },
  {
    route: 'POST /api/v1/unsubscribe/:token',
    kind: 'api',
    expect: everyone,
    prepare: async (world, persona) => ({ url: `/api/v1/unsubscribe/${(await buildDigest(world, persona)).token}` }),
  },
  {
    route: 'POST /webhooks',
    kind: 'form',
    expect: onlyAllowed('organisationAdmin', 'platformAdmin'),
    prepare: async () => ({ url: '/webhooks', body: { url: 'https://receiver.example.test/hook', eventTypes: ['case-study.added'] } }),
  },
  {
    route: 'POST /webhooks/:id/enable',
    kind: 'form',
    expect: onlyAllowed('organisationAdmin', 'platformAdmin'),
    prepare: async (world) => ({ url: `/webhooks/${await buildWebhook(world)}/enable` }),
  },
];
