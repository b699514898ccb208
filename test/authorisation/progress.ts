import crypto from 'node:crypto';
import { type AuthorisationCase, type MatrixWorld, onlyAllowed } from '../support/authorisation.js';

/** A regional centre of its own for one cell, optionally with the home council as a member; returns its slug. */
async function buildCentre(world: MatrixWorld, withHome: boolean): Promise<string> {
  const slug = `matrix-centre-${crypto.randomBytes(4).toString('hex')}`;
  const centre = await world.db
    .insertInto('organisations')
    .values({ kind: 'regional-centre', slug, name: `Centre ${slug}`, official_name: `Centre ${slug}`, search_names: slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (withHome)
    await world.db
      .insertInto('regional_centre_members')
      .values({ council_id: world.home.id, centre_id: centre.id, joined_on: '2026-01-01' })
      .onConflict((oc) => oc.column('council_id').doUpdateSet({ centre_id: centre.id }))
      .execute();
  return slug;
}

/** The progress module's state-changing routes: the declared chief-executives count, and centres' member councils. */
export const progressAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /progress/institute/chief-executives',
    kind: 'form',
    prepare: () =>
      Promise.resolve({
        url: '/progress/institute/chief-executives',
        body: { value: '3', asOf: '2026-05-01', source: 'Institute survey, May 2026' },
      }),
    expect: onlyAllowed('platformAdmin'),
  },
  {
    route: 'POST /regional-centres/:slug/members',
    kind: 'form',
    prepare: async (world) => ({ url: `/regional-centres/${await buildCentre(world, false)}/members`, body: { council: world.home.code } }),
    expect: onlyAllowed('platformAdmin'),
  },
  {
    route: 'POST /regional-centres/:slug/members/:code/remove',
    kind: 'form',
    prepare: async (world) => ({ url: `/regional-centres/${await buildCentre(world, true)}/members/${world.home.code}/remove` }),
    expect: onlyAllowed('platformAdmin'),
  },
];
