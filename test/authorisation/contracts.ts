import { type AuthorisationCase, PERSONAS } from '../support/authorisation.js';

/** The platform admin gets past authorisation to "choose a file" (400, nothing written); everyone else is refused. */
const onlyPlatformAdminReaches400 = Object.fromEntries(
  PERSONAS.map((persona) => [persona, persona === 'platformAdmin' ? 400 : 'refused']),
) as AuthorisationCase['expect'];

/** Who may import OCDS files: platform admins alone, through the web form and the API. */
export const contractsAuthorisationCases: AuthorisationCase[] = [
  {
    route: 'POST /contracts/import',
    kind: 'form',
    prepare: () => Promise.resolve({ url: '/contracts/import' }),
    expect: onlyPlatformAdminReaches400,
  },
  {
    route: 'POST /api/v1/contracts/imports',
    kind: 'api',
    prepare: () => Promise.resolve({ url: '/api/v1/contracts/imports' }),
    expect: onlyPlatformAdminReaches400,
  },
];
