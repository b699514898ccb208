import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AccessNeed, describeAccess } from '../../platform/http/access.js';

/** Published case studies linked to a record, from the knowledge module (wired in app.ts); optional so this module stands alone. */
export type LinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) => Promise<unknown[]>;

export const challengesBack = { href: '/challenges', text: 'Back to challenges' };
export const refusalFor = (request: FastifyRequest, need: AccessNeed, action: string) =>
  describeAccess(request.actor, need, action, request.url);
export const renderAccessNeeded = (
  reply: FastifyReply,
  request: FastifyRequest,
  need: AccessNeed,
  action: string,
  page: { title: string; back: { href: string; text: string } },
) =>
  reply
    .status(403)
    .header('Cache-Control', 'no-store')
    .render('access-needed.njk', { ...page, access: describeAccess(request.actor, need, action, request.url) });
