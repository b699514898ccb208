/**
 * The fifteen cross-institution data exchanges the sector aims for by 2030, as tracked records: the problem,
 * the agreements and standards behind each, who takes part, status, outcomes and who replicated it.
 */
import type { Clock } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Actor } from '../../platform/actor.js';
import type { OrganisationsService } from '../organisations/index.js';
import type { DataSharingRepository, ExemplarRow } from './data-sharing.repository.js';
import { EXEMPLAR_STATUSES, type ExemplarStatus } from './data-sharing.tables.js';

/** The sector's 2030 target for successful cross-institution data exchanges. */
export const EXEMPLAR_TARGET = 15;

export interface ExemplarDefinition {
  slug: string;
  title: string;
  problem: string;
  status: ExemplarStatus;
  outcomes: string;
  agreementSlugs: string[];
  standardSlugs: string[];
  participants: string[];
  replicatedBy: string[];
}

/** Live exemplars count towards the target; a replicated one is live too. */
export const isLive = (status: ExemplarStatus) => status === 'live' || status === 'replicated';

/**
 * The exemplars as tracked records: listing, counting the live ones, one exemplar, its status, adding one.
 * Over 80 lines as a set of short methods sharing one set of dependencies.
 */
export function createExemplarsService({
  repository,
  organisationsService,
  clock,
}: {
  repository: DataSharingRepository;
  organisationsService: OrganisationsService;
  clock: Clock;
}) {
  async function present(rows: ExemplarRow[]) {
    const organisations = await organisationsService.listOrganisationsByIds(
      rows.flatMap((row) => [...row.participant_ids, ...row.replicated_by_ids]),
    );
    const named = (ids: number[]) =>
      ids
        .map((id) => organisations.find((organisation) => organisation.id === id))
        .filter((organisation) => organisation !== undefined)
        .map((organisation) => ({ name: organisation.name, slug: organisation.slug }));
    return rows.map((row) => ({
      slug: row.slug,
      title: row.title,
      problem: row.problem,
      status: row.status,
      outcomes: row.outcomes,
      agreements: row.agreement_slugs.map((slug) => ({ slug, url: `/data-sharing/agreements/${slug}` })),
      standards: row.standard_slugs.map((slug) => ({ slug, url: `/data-sharing/standards/${slug}` })),
      participants: named(row.participant_ids),
      replicatedBy: named(row.replicated_by_ids),
      updatedAt: row.updated_at.toISOString(),
      url: `/data-sharing/exemplars/${row.slug}`,
    }));
  }

  return {
    /** Every exemplar (optionally of one status) and the count of live ones towards the target. */
    async listExemplars(status?: string) {
      const all = await repository.listExemplars(undefined);
      const rows = status ? all.filter((row) => row.status === status) : all;
      return { live: all.filter((row) => isLive(row.status)).length, target: EXEMPLAR_TARGET, items: await present(rows) };
    },

    /** The figure the progress dashboard reads. */
    async countLive(): Promise<{ live: number; target: number }> {
      const all = await repository.listExemplars(undefined);
      return { live: all.filter((row) => isLive(row.status)).length, target: EXEMPLAR_TARGET };
    },

    async getExemplar(slug: string) {
      const row = await repository.findExemplarBySlug(slug);
      if (!row) throw new NotFoundError(`No exemplar has the address ${slug}`);
      const [exemplar] = await present([row]);
      return exemplar as NonNullable<typeof exemplar>;
    },

    /** Institute staff move an exemplar along: proposed, in progress, live, replicated. */
    async changeStatus(actor: Actor, slug: string, status: string): Promise<void> {
      if (actor.role !== 'platform-admin' && actor.role !== 'assessor')
        throw new NotAllowedError('Only institute staff can change an exemplar’s status');
      if (!(EXEMPLAR_STATUSES as readonly string[]).includes(status))
        throw new InputError('Choose a status', [{ field: 'status', message: 'Choose proposed, in progress, live or replicated' }]);
      const row = await repository.findExemplarBySlug(slug);
      if (!row) throw new NotFoundError(`No exemplar has the address ${slug}`);
      await repository.updateExemplarStatus(row.id, status as ExemplarStatus, clock());
      await repository.recordAudit(actor, {
        action: 'exemplar.status',
        subjectType: 'data-sharing-exemplar',
        subjectId: row.id,
        organisationId: null,
        before: { status: row.status },
        after: { status },
      });
    },

    /** Demo and reference content; skipped when the exemplar exists. */
    async addExemplar(definition: ExemplarDefinition): Promise<void> {
      const ids = async (codes: string[]) => Promise.all(codes.map(async (code) => (await organisationsService.getOrganisation(code)).id));
      await repository.insertExemplarIfMissing({
        slug: definition.slug,
        title: definition.title,
        problem: definition.problem,
        status: definition.status,
        outcomes: definition.outcomes,
        agreement_slugs: JSON.stringify(definition.agreementSlugs),
        standard_slugs: JSON.stringify(definition.standardSlugs),
        participant_ids: JSON.stringify(await ids(definition.participants)),
        replicated_by_ids: JSON.stringify(await ids(definition.replicatedBy)),
        created_at: clock(),
        updated_at: clock(),
      });
    },
  };
}

export type ExemplarsService = ReturnType<typeof createExemplarsService>;
