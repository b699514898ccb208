import type { Kysely } from 'kysely';
import type { Database } from '../../src/app/database-schema.js';
import {
  type AuthorisationCase,
  type Expectation,
  type MatrixWorld,
  onlyAllowed,
  PERSONAS,
  type Persona,
} from '../support/authorisation.js';
import { unique } from '../support/factories.js';

const signedIn = onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'assessor', 'supplier', 'platformAdmin');
const homeOrganisationOrAdmin = onlyAllowed('member', 'organisationAdmin', 'platformAdmin');
// Suppliers sell components rather than adopt them; every public body's people may declare for their own organisation.
const publicBodies = onlyAllowed('otherOrganisationMember', 'member', 'organisationAdmin', 'assessor', 'platformAdmin');

/** A component published by an organisation, inserted directly (no audit event). */
async function buildComponent(db: Kysely<Database>, publisherOrganisationId: number | null): Promise<string> {
  const slug = `matrix-component-${unique()}`.toLowerCase();
  await db
    .insertInto('components')
    .values({
      slug,
      name: `Matrix component ${slug}`,
      kind: 'software',
      summary: 'A component for the matrix.',
      publisher_organisation_id: publisherOrganisationId,
    })
    .execute();
  return slug;
}

/** A component with a declaration by the persona's organisation, so that confirming it is possible. */
async function buildDeclaredComponent(world: MatrixWorld, persona: Persona): Promise<string> {
  const slug = await buildComponent(world.db, null);
  const organisationId = persona === 'anonymous' ? world.home.id : world.people[persona].organisationId;
  if (organisationId === null) return slug;
  const component = await world.db.selectFrom('components').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  await world.db
    .insertInto('adoptions')
    .values({
      component_id: component.id,
      organisation_id: organisationId,
      status: 'using',
      since: '2025-01-01',
      evidence_kind: 'note',
      evidence: 'In use',
      contact_name: 'Pat',
      contact_email: 'pat@example.test',
      contact_agrees: true,
      confirmed_at: new Date('2026-01-01T00:00:00Z'),
    })
    .execute();
  return slug;
}

const componentForm = () => ({ name: `Matrix component ${unique()}`, kind: 'software', summary: 'A shared component.' });

const adoptionForm = {
  status: 'using',
  'since-day': '1',
  'since-month': '2',
  'since-year': '2025',
  evidenceKind: 'note',
  evidence: 'In use for our website',
  contactName: 'Pat Jones',
  contactEmail: 'pat.jones@example.test',
  contactAgrees: 'yes',
};

const adoptionJson = {
  status: 'using',
  since: '2025-02-01',
  evidenceKind: 'note',
  evidence: 'In use for our website',
  contactName: 'Pat Jones',
  contactEmail: 'pat.jones@example.test',
  contactAgrees: true,
};

const publiccodeYaml = () => {
  const id = unique();
  return [
    'publiccodeYmlVersion: "0.4"',
    `name: Matrix import ${id}`,
    `url: https://example.org/matrix/${id}`,
    'developmentStatus: stable',
    'softwareType: standalone/web',
    'legal:',
    '  license: MIT',
    'maintenance:',
    '  type: none',
    'localisation:',
    '  localisationReady: false',
    '  availableLanguages: [en]',
    'platforms: [web]',
    'categories: [digital-citizenship]',
    'description:',
    '  en:',
    '    shortDescription: A component imported by the matrix.',
    '    longDescription: A component imported by the authorisation matrix, long enough to be a description of a component, which the standard asks to be at least 150 characters.',
    '    features: [Testing]',
  ].join('\n');
};

/** A file the validator refuses: checking it writes nothing, for anyone, signed in or not. */
const invalidPubliccode = { yaml: 'publiccodeYmlVersion: "0.4"\nname: Checked by the matrix\n' };
const everyoneGetsTheReport = Object.fromEntries(PERSONAS.map((persona) => [persona, 422])) as Record<Persona, Expectation>;

/** Who may use each state-changing route of the catalogue. */
export const catalogueAuthorisationCases: AuthorisationCase[] = [
  { route: 'POST /components', kind: 'form', expect: signedIn, prepare: async () => ({ url: '/components', body: componentForm() }) },
  {
    route: 'POST /components/:slug',
    kind: 'form',
    expect: homeOrganisationOrAdmin,
    prepare: async (world) => ({ url: `/components/${await buildComponent(world.db, world.home.id)}`, body: componentForm() }),
  },
  {
    route: 'POST /components/import',
    kind: 'form',
    expect: signedIn,
    prepare: async () => ({ url: '/components/import', body: { yaml: publiccodeYaml() } }),
  },
  {
    route: 'POST /components/:slug/adoption',
    kind: 'form',
    expect: publicBodies,
    prepare: async (world) => ({ url: `/components/${await buildComponent(world.db, null)}/adoption`, body: adoptionForm }),
  },
  {
    route: 'POST /components/:slug/adoption/confirm',
    kind: 'form',
    expect: publicBodies,
    prepare: async (world, persona) => ({ url: `/components/${await buildDeclaredComponent(world, persona)}/adoption/confirm` }),
  },
  {
    route: 'POST /api/v1/components',
    kind: 'api',
    expect: signedIn,
    prepare: async () => ({ url: '/api/v1/components', body: componentForm() }),
  },
  {
    route: 'PUT /api/v1/components/:slug',
    kind: 'api',
    expect: homeOrganisationOrAdmin,
    prepare: async (world) => ({ url: `/api/v1/components/${await buildComponent(world.db, world.home.id)}`, body: componentForm() }),
  },
  {
    route: 'POST /api/v1/components/import',
    kind: 'api',
    expect: signedIn,
    prepare: async () => ({ url: '/api/v1/components/import', body: { fileName: 'publiccode.yml', yaml: publiccodeYaml() } }),
  },
  {
    route: 'POST /api/v1/components/:slug/adoption',
    kind: 'api',
    expect: publicBodies,
    prepare: async (world) => ({ url: `/api/v1/components/${await buildComponent(world.db, null)}/adoption`, body: adoptionJson }),
  },
  {
    route: 'POST /api/v1/components/:slug/adoption/confirm',
    kind: 'api',
    expect: publicBodies,
    prepare: async (world, persona) => ({ url: `/api/v1/components/${await buildDeclaredComponent(world, persona)}/adoption/confirm` }),
  },
  // The publiccode.yml checker changes nothing: everyone, anonymous included, gets the report (422 for a file with errors).
  {
    route: 'POST /components/publiccode/validate',
    kind: 'form',
    expect: everyoneGetsTheReport,
    prepare: async () => ({ url: '/components/publiccode/validate', body: invalidPubliccode }),
  },
  {
    route: 'POST /api/v1/publiccode/validate',
    kind: 'api',
    expect: everyoneGetsTheReport,
    prepare: async () => ({ url: '/api/v1/publiccode/validate', body: invalidPubliccode }),
  },
];
