import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/app/database-schema.js';
import type { Role } from '../../src/platform/actor.js';
import { CSRF_COOKIE, csrfTokenFor } from '../../src/platform/http/csrf.js';
import { buildApiToken, buildUser, organisationId, startSession } from './factories.js';
import { TEST_SECRET } from './test-app.js';

export const PERSONAS = [
  'anonymous',
  // Signed in, but belongs to no organisation yet (waiting to join one).
  'unaffiliated',
  'otherOrganisationMember',
  'member',
  'organisationAdmin',
  'assessor',
  'supplier',
  'platformAdmin',
] as const;
export type Persona = (typeof PERSONAS)[number];

/** What a cell of the matrix must answer: allowed (a success or redirect), refused (401, 403, or sent to sign in), or an exact status. */
export type Expectation = 'allowed' | 'refused' | number;

export interface WorldPerson {
  id: number;
  email: string;
  organisationId: number | null;
}

/** The organisations and people every case can use: "home" is the member's council, "other" another council. */
export interface MatrixWorld {
  db: Kysely<Database>;
  home: { id: number; code: string };
  other: { id: number; code: string };
  institute: { id: number };
  people: Record<Exclude<Persona, 'anonymous'>, WorldPerson>;
}

export interface PreparedRequest {
  url: string;
  body?: Record<string, string | number | boolean | readonly string[] | undefined>;
}

/** One state-changing route and who may use it. Each module lists its own in `<module>.authorisation.ts`. */
export interface AuthorisationCase {
  /** Method and route pattern exactly as registered, e.g. `POST /manage/members/:id/role`. */
  route: string;
  /** When a route has several cases, what this one is about (e.g. "a person whose role a platform admin gave"). */
  scenario?: string;
  /** Forms are sent with a session cookie and CSRF token; the API with a bearer token. */
  kind: 'form' | 'api';
  /** Makes the records the request acts on (fresh for every cell) and returns the request. */
  prepare: (world: MatrixWorld, persona: Persona) => Promise<PreparedRequest>;
  expect: Record<Persona, Expectation>;
}

/** An expectation table: everyone refused except the listed personas. */
export function onlyAllowed(...allowed: Persona[]): Record<Persona, Expectation> {
  return Object.fromEntries(PERSONAS.map((persona) => [persona, allowed.includes(persona) ? 'allowed' : 'refused'])) as Record<
    Persona,
    Expectation
  >;
}

/** Builds the people of the matrix: one of each role, at the home council, another council, the institute or a supplier. */
export async function buildMatrixWorld(db: Kysely<Database>): Promise<MatrixWorld> {
  const home = { id: await organisationId(db, 'E07000178'), code: 'E07000178' };
  const other = { id: await organisationId(db, 'E10000008'), code: 'E10000008' };
  const instituteRow = await db
    .insertInto('organisations')
    .values({
      kind: 'institute',
      slug: `matrix-institute-${crypto.randomBytes(3).toString('hex')}`,
      name: 'Matrix Institute',
      official_name: 'Matrix Institute',
      search_names: 'matrix institute',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const supplierRow = await db
    .insertInto('organisations')
    .values({
      kind: 'supplier',
      slug: `matrix-supplier-${crypto.randomBytes(3).toString('hex')}`,
      name: 'Matrix Supplier Ltd',
      official_name: 'Matrix Supplier Ltd',
      search_names: 'matrix supplier ltd',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = async (organisation: number, role: Role): Promise<WorldPerson> => ({
    ...(await buildUser(db, { organisationId: organisation, role })),
    organisationId: organisation,
  });
  return {
    db,
    home,
    other,
    institute: { id: instituteRow.id },
    people: {
      unaffiliated: { ...(await buildUser(db, { organisationId: null })), organisationId: null },
      otherOrganisationMember: await person(other.id, 'member'),
      member: await person(home.id, 'member'),
      organisationAdmin: await person(home.id, 'organisation-admin'),
      assessor: await person(instituteRow.id, 'assessor'),
      supplier: await person(supplierRow.id, 'supplier'),
      platformAdmin: await person(instituteRow.id, 'platform-admin'),
    },
  };
}

/** Sends a prepared request as a persona: a form with a fresh session and a valid CSRF token, or an API call with a write token. */
export async function sendAs(
  app: FastifyInstance,
  world: MatrixWorld,
  persona: Persona,
  kind: AuthorisationCase['kind'],
  method: string,
  request: PreparedRequest,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  const person = persona === 'anonymous' ? null : world.people[persona];
  if (kind === 'form') {
    const csrfCookie = crypto.randomBytes(32).toString('base64url');
    const cookies = [`${CSRF_COOKIE}=${csrfCookie}`];
    const session = person ? await startSession(world.db, person.id) : undefined;
    if (session) cookies.push(`commons_session=${session}`);
    headers.cookie = cookies.join('; ');
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return app.inject({
      method: method as 'POST',
      url: request.url,
      headers,
      payload: formBody({ ...request.body, _csrf: csrfTokenFor(TEST_SECRET, csrfCookie, session) }),
    });
  }
  if (person) headers.authorization = `Bearer ${await buildApiToken(world.db, person.id, ['read', 'write'])}`;
  return app.inject({ method: method as 'POST', url: request.url, headers, payload: request.body ?? {} });
}

/** Whether an answer is a refusal: 401, 403, or a redirect to sign in. */
export function outcomeOf(response: LightMyRequestResponse): 'allowed' | 'refused' | number {
  if (response.statusCode === 401 || response.statusCode === 403) return 'refused';
  if (response.statusCode === 303 && /^\/sign-in(\?|$)/.test(String(response.headers.location))) return 'refused';
  if (response.statusCode < 400) return 'allowed';
  return response.statusCode;
}

/** A body as a browser sends a form: URL-encoded, with a repeated name for each value of a list. */
export function formBody(values: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'object' ? value : [value]) form.append(name, String(item));
  }
  return form.toString();
}
