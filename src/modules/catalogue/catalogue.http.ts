import { type Limits } from '../../platform/limits.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireApiWriter } from '../identity/index.js';
import type { CatalogueService } from './catalogue.service.js';

export const WRITE_NOTE =
  'Send an API token with the write scope: `Authorization: Bearer <token>` (401 without one, 403 for a read-only token or a role that may not do this).';

/** API writes answer 401 or 403 before the body is checked, so a caller without a token learns that first. */
export function refuseWithoutWriteToken(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  try {
    requireApiWriter(request);
    done();
  } catch (error) {
    done(error as Error);
  }
}

/** Breadcrumbs of the catalogue's pages: Home, Components, then any given. */
export const breadcrumbs = (extra: { text: string; href: string }[] = []) => [
  { text: 'Home', href: '/' },
  { text: 'Components', href: '/components' },
  ...extra,
];

/** Published case studies linked to a record, from the knowledge module (wired in app.ts); optional so this module stands alone. */
export type LinkedCaseStudies = (kind: 'component' | 'challenge' | 'standard', reference: string) => Promise<unknown[]>;

/** What the catalogue's routes are given, wired in src/app/app.ts. */
export interface CatalogueRoutesOptions {
  catalogueService: CatalogueService;
  limits?: Limits;
  listLinkedCaseStudies?: LinkedCaseStudies;
}
