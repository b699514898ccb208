import type { Kysely } from 'kysely';
import type { Database } from '../../src/app/database-schema.js';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed } from '../support/authorisation.js';
import { unique } from '../support/factories.js';
import type { AssessmentStage, VersionStatus } from '../../src/modules/standards/standards.tables.js';

const homeCouncil = onlyAllowed('member', 'organisationAdmin');
const owners = onlyAllowed('organisationAdmin', 'platformAdmin');

/** A standard owned by the home council with three points in one version of the given status (no audit event: test set-up). */
export async function buildStandard(
  db: Kysely<Database>,
  ownerOrganisationId: number,
  status: VersionStatus = 'published',
): Promise<{ slug: string; standardId: number; versionId: number }> {
  const slug = `matrix-${unique()}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const standard = await db
    .insertInto('standards')
    .values({ slug, title: 'Matrix standard', purpose: 'Testing who may do what', owner_organisation_id: ownerOrganisationId, status })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto('standard_versions')
    .values({ standard_id: standard.id, version_number: 1, status: 'draft' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('standard_points')
    .values(
      [1, 2, 3].map((number) => ({
        version_id: version.id,
        point_number: number,
        title: `Point ${number}`,
        meaning: 'Meaning',
        why_it_matters: 'Why',
        how_to_meet: 'How',
        evidence_guidance: 'Evidence',
      })),
    )
    .execute();
  if (status !== 'draft')
    await db
      .updateTable('standard_versions')
      .set({ status, published_on: status === 'published' ? '2026-01-01' : null })
      .where('id', '=', version.id)
      .execute();
  return { slug, standardId: standard.id, versionId: version.id };
}

/** An assessment of the home council at a stage, with the other council as peer reviewer once one is asked. */
export async function buildAssessment(world: MatrixWorld, stage: AssessmentStage): Promise<number> {
  const { standardId, versionId } = await buildStandard(world.db, world.home.id);
  const row = await world.db
    .insertInto('standard_assessments')
    .values({
      standard_id: standardId,
      version_id: versionId,
      organisation_id: world.home.id,
      service_name: 'Matrix service',
      stage,
      peer_organisation_id: stage === 'peer-review' || stage === 'peer-reviewed' ? world.other.id : null,
      started_by: world.people.member.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A submitted self-assessment (outcome met), not yet signed off, optionally with a named owner. */
async function buildSubmittedSelfAssessment(world: MatrixWorld, ownerUserId: number | null = null): Promise<number> {
  const id = await buildAssessment(world, 'self-assessed');
  await world.db
    .updateTable('standard_assessments')
    .set({ outcome: 'met', basis: 'self', outcome_on: '2026-06-01', owner_user_id: ownerUserId })
    .where('id', '=', id)
    .execute();
  return id;
}

const saveOnePoint = { intent: 'save', 'rating-1': 'met', 'commentary-1': 'Looked at it' };

/** Who may use each state-changing route of standards and assessment. */
export const standardsAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /standards/:slug/assessments',
    kind: 'form',
    // Anyone working for a council assesses their own council's services; the institute and suppliers do not self-assess.
    expect: onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin'),
    prepare: async (world) => ({
      url: `/standards/${(await buildStandard(world.db, world.home.id)).slug}/assessments`,
      body: { serviceName: 'Pay for parking' },
    }),
  },
  {
    route: 'POST /standards/assessments/:id/self-assessment',
    kind: 'form',
    expect: homeCouncil,
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildAssessment(world, 'self-assessment')}/self-assessment`,
      body: saveOnePoint,
    }),
  },
  {
    route: 'POST /standards/assessments/:id/peer-review',
    kind: 'form',
    // Only the council asked to review: never the assessed council itself.
    expect: onlyAllowed('otherOrganisationMember'),
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildAssessment(world, 'peer-review')}/peer-review`,
      body: saveOnePoint,
    }),
  },
  {
    route: 'POST /standards/assessments/:id/audit',
    kind: 'form',
    expect: onlyAllowed('assessor'),
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildAssessment(world, 'peer-reviewed')}/audit`,
      body: saveOnePoint,
    }),
  },
  {
    route: 'POST /standards/assessments/:id/peer-review-request',
    kind: 'form',
    expect: homeCouncil,
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildAssessment(world, 'self-assessed')}/peer-review-request`,
      body: { peerOrganisation: String(world.other.id) },
    }),
  },
  {
    route: 'POST /standards/assessments/:id/actions',
    kind: 'form',
    expect: homeCouncil,
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildAssessment(world, 'self-assessment')}/actions`,
      body: { actionDescription: 'Fix it', actionOwner: 'Sam', 'actionDue-day': '1', 'actionDue-month': '3', 'actionDue-year': '2027' },
    }),
  },
  {
    route: 'POST /standards/assessments/:id/sign-off',
    kind: 'form',
    // The assessed council's admins sign off; a plain member only when named the assessment's owner (next case).
    expect: onlyAllowed('organisationAdmin'),
    prepare: async (world) => ({ url: `/standards/assessments/${await buildSubmittedSelfAssessment(world)}/sign-off` }),
  },
  {
    route: 'POST /standards/assessments/:id/sign-off',
    scenario: 'the member is the named owner',
    kind: 'form',
    expect: onlyAllowed('member', 'organisationAdmin'),
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildSubmittedSelfAssessment(world, world.people.member.id)}/sign-off`,
    }),
  },
  {
    route: 'POST /standards/assessments/:id/owner',
    kind: 'form',
    expect: onlyAllowed('organisationAdmin'),
    prepare: async (world) => ({
      url: `/standards/assessments/${await buildSubmittedSelfAssessment(world)}/owner`,
      body: { owner: String(world.people.member.id) },
    }),
  },
  {
    route: 'POST /standards/actions/:id/done',
    kind: 'form',
    expect: homeCouncil,
    prepare: async (world) => {
      const assessmentId = await buildAssessment(world, 'self-assessed');
      const action = await world.db
        .insertInto('standard_assessment_actions')
        .values({
          assessment_id: assessmentId,
          organisation_id: world.home.id,
          description: 'Fix it',
          owner_name: 'Sam',
          due_on: '2026-01-01',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/standards/actions/${action.id}/done` };
    },
  },
  {
    route: 'POST /standards/:slug/versions/:version/points/:number/comments',
    kind: 'form',
    // Everyone signed in with an organisation can take part in a consultation.
    expect: onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'assessor', 'supplier', 'platformAdmin'),
    prepare: async (world) => ({
      url: `/standards/${(await buildStandard(world.db, world.home.id, 'consultation')).slug}/versions/1/points/2/comments`,
      body: { comment: 'Could this say more about assisted digital?' },
    }),
  },
  {
    route: 'POST /standards/comments/:id/answer',
    kind: 'form',
    expect: owners,
    prepare: async (world) => {
      const { versionId } = await buildStandard(world.db, world.home.id, 'consultation');
      const point = await world.db.selectFrom('standard_points').select('id').where('version_id', '=', versionId).executeTakeFirstOrThrow();
      const comment = await world.db
        .insertInto('standard_point_comments')
        .values({
          point_id: point.id,
          author_user_id: world.people.otherOrganisationMember.id,
          author_organisation_id: world.other.id,
          body: 'A question',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { url: `/standards/comments/${comment.id}/answer`, body: { answer: 'Thank you: we will.' } };
    },
  },
  {
    route: 'POST /standards/:slug/versions',
    kind: 'form',
    expect: owners,
    prepare: async (world) => ({ url: `/standards/${(await buildStandard(world.db, world.home.id)).slug}/versions` }),
  },
  {
    route: 'POST /standards/:slug/versions/:version/points/:number',
    kind: 'form',
    expect: owners,
    prepare: async (world) => ({
      url: `/standards/${(await buildStandard(world.db, world.home.id, 'draft')).slug}/versions/1/points/1`,
      body: { title: 'Clearer', meaning: 'Meaning', whyItMatters: 'Why', howToMeet: 'How', evidenceGuidance: 'Evidence' },
    }),
  },
  {
    route: 'POST /standards/:slug/components',
    kind: 'form',
    // Only the people of the organisation that publishes the component (or a platform admin) speak for it.
    expect: onlyAllowed('member', 'organisationAdmin', 'platformAdmin'),
    prepare: async (world) => {
      const component = `matrix-component-${unique()}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      await world.db
        .insertInto('components')
        .values({
          slug: component,
          name: `Component ${component}`,
          kind: 'software',
          summary: 'For the matrix',
          publisher_organisation_id: world.home.id,
        })
        .execute();
      return {
        url: `/standards/${(await buildStandard(world.db, world.home.id)).slug}/components`,
        body: { component, point: '2', note: 'Helps with point 2' },
      };
    },
  },
  {
    route: 'POST /standards/:slug/retire',
    kind: 'form',
    expect: owners,
    prepare: async (world) => ({ url: `/standards/${(await buildStandard(world.db, world.home.id)).slug}/retire` }),
  },
  {
    route: 'POST /standards/:slug/versions/:version/status',
    kind: 'form',
    expect: owners,
    prepare: async (world) => ({
      url: `/standards/${(await buildStandard(world.db, world.home.id, 'draft')).slug}/versions/1/status`,
      body: { status: 'consultation' },
    }),
  },
];
