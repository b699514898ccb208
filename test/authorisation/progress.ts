import { type AuthorisationCase, onlyAllowed } from '../support/authorisation.js';

/** The progress module's one state-changing route: declaring the count of chief executives from digital backgrounds. */
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
];
