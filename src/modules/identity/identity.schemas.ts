import { z } from 'zod';
import { ROLES } from '../../platform/actor.js';
import { idParamsSchema } from '../../platform/http/ids.js';

export const idParams = idParamsSchema;
export const codeParams = z.object({ code: z.string().min(1).max(100) });
export const csrfField = { _csrf: z.string().optional() };
export const csrfOnlyBody = z.object(csrfField);

/** Where to go after signing in (a same-site path, checked when used). */
export const nextQuery = z.object({ next: z.string().max(500).optional() });
export const signInBody = z.object({ email: z.string().max(320).default(''), next: z.string().max(500).optional(), ...csrfField });
export const signInLinkQuery = z.object({ token: z.string().max(200).default(''), next: z.string().max(500).optional() });
export const signInLinkBody = z.object({ token: z.string().max(200).default(''), next: z.string().max(500).optional(), ...csrfField });
export const signOutEverywhereBody = z.object({ revokeTokens: z.literal('yes').optional(), ...csrfField });

export const nameBody = z.object({ name: z.string().max(300).default(''), ...csrfField });
export const apiTokenBody = z.object({
  name: z.string().max(300).default(''),
  scopes: z.union([z.enum(['read', 'write']), z.array(z.enum(['read', 'write']))]).optional(),
  ...csrfField,
});

export const invitationAnswerBody = z.object({ decision: z.enum(['accept', 'decline']), ...csrfField });
export const joinSearchQuery = z.object({ q: z.string().max(200).optional() });
export const joinBody = z.object({
  organisation: z.string().max(100).default(''),
  message: z.string().max(2000).default(''),
  ...csrfField,
});
export const approveJoinBody = z.object({ role: z.enum(['member', 'organisation-admin']).optional(), ...csrfField });

export const roleBody = z.object({ role: z.enum(ROLES), ...csrfField });
export const invitationBody = z.object({
  email: z.string().max(320).default(''),
  role: z.enum(['member', 'organisation-admin']).default('member'),
  ...csrfField,
});
export const domainBody = z.object({ domain: z.string().max(253).default(''), ...csrfField });

export const auditQuery = z.object({
  organisation: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  format: z.enum(['csv']).optional(),
});
