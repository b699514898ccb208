import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildPagination, sendCsv } from '../../platform/http/lists.js';
import { requireSignedIn } from './identity.guards.js';
import { type IdentityRouteDependencies, organisationIdOf } from './identity.http.js';
import { auditCsvColumns, presentAuditEvent } from './identity.presenters.js';
import { auditQuery } from './identity.schemas.js';

/** The audit trail: a page, or all of it as CSV. */
export function registerAuditRoutes(
  app: FastifyInstance,
  { identityService, organisationsService }: Pick<IdentityRouteDependencies, 'identityService' | 'organisationsService'>,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/manage/audit', { schema: { hide: true, querystring: auditQuery } }, async (request, reply) => {
    const actor = requireSignedIn(request);
    const organisationId = request.query.organisation
      ? await organisationIdOf(organisationsService, request.query.organisation)
      : actor.role === 'platform-admin'
        ? null
        : actor.organisationId;
    const csv = request.query.format === 'csv';
    const pageSize = csv ? 100_000 : 50;
    const { total, rows } = await identityService.listAuditEvents(actor, {
      organisationId,
      page: csv ? 1 : request.query.page,
      pageSize,
    });
    if (csv) return sendCsv(reply.header('Cache-Control', 'no-store'), 'audit-events.csv', auditCsvColumns, rows);
    const scopeQuery: Record<string, string> = request.query.organisation ? { organisation: request.query.organisation } : {};
    return reply.header('Cache-Control', 'no-store').render('identity/views/audit.njk', {
      title: 'Audit trail',
      total,
      events: rows.map(presentAuditEvent),
      pagination: buildPagination('/manage/audit', scopeQuery, request.query.page, pageSize, total),
      csvHref: `/manage/audit?${new URLSearchParams({ ...scopeQuery, format: 'csv' }).toString()}`,
      scope: organisationId === null ? 'every organisation' : 'your organisation',
    });
  });
}
