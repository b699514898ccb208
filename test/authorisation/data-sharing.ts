import crypto from 'node:crypto';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed, type Persona, PERSONAS } from '../support/authorisation.js';
import { agreementFormValues, buildAgreementInput } from '../../src/modules/data-sharing/data-sharing.factories.js';

const withOrganisation = onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'assessor', 'supplier', 'platformAdmin');
const leadOrganisationOrAdmin = onlyAllowed('member', 'organisationAdmin', 'platformAdmin');
const instituteStaff = onlyAllowed('assessor', 'platformAdmin');

/** An agreement led by the home council, inserted directly (no audit event), signed off so it may be agreed. */
async function buildAgreement(world: MatrixWorld): Promise<{ slug: string; input: ReturnType<typeof buildAgreementInput> }> {
  const slug = `matrix-agreement-${crypto.randomBytes(4).toString('hex')}`;
  const input = buildAgreementInput({ title: slug, parties: [{ organisation: world.other.code, role: 'controller' }] });
  const row = await world.db
    .insertInto('data_sharing_agreements')
    .values({
      slug,
      title: slug,
      purpose: input.purpose,
      status: 'draft',
      version: 1,
      special_category: false,
      lead_organisation_id: world.home.id,
      lawful_basis: 'public-task',
      data_subjects: input.dataSubjects,
      data_items: input.dataItems,
      dpia_status: 'done',
      dpia_outcome: input.dpiaOutcome,
      retention: input.retention,
      security: input.security,
      review_date: input.reviewDate,
      signed_off_role: input.signedOffRole,
      signed_off_by_name: input.signedOffByName,
      signed_off_on: input.signedOffOn,
      contact_name: '',
      contact_email: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await world.db
    .insertInto('data_sharing_agreement_parties')
    .values([
      { agreement_id: row.id, organisation_id: world.home.id, role: 'controller' },
      { agreement_id: row.id, organisation_id: world.other.id, role: 'controller' },
    ])
    .execute();
  return { slug, input };
}

/** The validator answers a post without a multipart file with its form and a message, for everyone. */
const everyone400 = Object.fromEntries(PERSONAS.map((persona) => [persona, 400])) as Record<Persona, number>;

/** The data-sharing module's state-changing routes and who may use them. */
export const dataSharingAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /data-sharing/validate',
    kind: 'form',
    prepare: async () => ({ url: '/data-sharing/validate', body: {} }),
    expect: everyone400,
  },
  {
    route: 'POST /api/v1/validate',
    kind: 'api',
    prepare: async () => ({ url: '/api/v1/validate', body: {} }),
    expect: { ...everyone400, anonymous: 'refused' },
  },
  {
    route: 'POST /data-sharing/agreements',
    kind: 'form',
    prepare: async () => ({
      url: '/data-sharing/agreements',
      body: agreementFormValues(
        buildAgreementInput({
          title: `Matrix agreement ${crypto.randomBytes(4).toString('hex')}`,
          parties: [{ organisation: 'E08000035', role: 'controller' }],
        }),
      ),
    }),
    expect: withOrganisation,
  },
  {
    route: 'POST /data-sharing/agreements/:slug/edit',
    kind: 'form',
    prepare: async (world) => {
      const { slug, input } = await buildAgreement(world);
      return { url: `/data-sharing/agreements/${slug}/edit`, body: agreementFormValues({ ...input, reviewDate: '2027-12-31' }) };
    },
    expect: leadOrganisationOrAdmin,
  },
  {
    route: 'POST /data-sharing/agreements/:slug/status',
    kind: 'form',
    prepare: async (world) => ({
      url: `/data-sharing/agreements/${(await buildAgreement(world)).slug}/status`,
      body: { status: 'agreed' },
    }),
    expect: leadOrganisationOrAdmin,
  },
  {
    route: 'POST /data-sharing/watched',
    kind: 'form',
    prepare: async () => ({
      url: '/data-sharing/watched',
      body: { url: `http://127.0.0.1:9/${crypto.randomBytes(4).toString('hex')}.csv`, standard: 'spending-over-500' },
    }),
    expect: withOrganisation,
  },
  {
    route: 'POST /data-sharing/exemplars/:slug/status',
    kind: 'form',
    prepare: async (world) => {
      const slug = `matrix-exemplar-${crypto.randomBytes(4).toString('hex')}`;
      await world.db
        .insertInto('data_sharing_exemplars')
        .values({ slug, title: slug, problem: 'A problem', status: 'proposed', outcomes: '' })
        .execute();
      return { url: `/data-sharing/exemplars/${slug}/status`, body: { status: 'live' } };
    },
    expect: instituteStaff,
  },
];
