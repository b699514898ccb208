import type { Insertable, Kysely, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { CaseStudiesTable, CaseStudyReplicationsTable, KnowledgeTables, LinkKind } from './knowledge.tables.js';
import type {
  CaseStudyInsert,
  CaseStudyListFilter,
  CaseStudyRow,
  LinkInput,
  LinkRow,
  OutcomeInput,
  OutcomeRow,
  ReplicationRow,
} from './knowledge.repository.js';

/** The queries on case studies: their outcomes, links and replications, and lists of them. Over 80 lines as a list of queries, each its own short function. */
export function createCaseStudiesQueries(db: Kysely<KnowledgeTables>) {
  const listFilter = (filter: CaseStudyListFilter) => {
    let query = db.selectFrom('case_studies');
    query = query.where((eb) =>
      filter.includeDraftsOf
        ? eb.or([eb('status', 'in', filter.statuses), eb('organisation_id', '=', filter.includeDraftsOf)])
        : eb('status', 'in', filter.statuses),
    );
    if (filter.serviceArea) query = query.where('service_area', '=', filter.serviceArea);
    if (filter.minimumLevel) query = query.where('confirmed_level', '>=', filter.minimumLevel);
    if (filter.organisationId) query = query.where('organisation_id', '=', filter.organisationId);
    return query;
  };

  return {
    async insertCaseStudy(values: CaseStudyInsert): Promise<CaseStudyRow> {
      return db.insertInto('case_studies').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async updateCaseStudy(id: number, values: Updateable<CaseStudiesTable>): Promise<CaseStudyRow> {
      return db.updateTable('case_studies').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    },

    async findCaseStudyBySlug(slug: string): Promise<CaseStudyRow | undefined> {
      return db.selectFrom('case_studies').selectAll().where('slug', '=', slug).executeTakeFirst();
    },

    async slugExists(slug: string): Promise<boolean> {
      return (await db.selectFrom('case_studies').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
    },

    async listCaseStudies(filter: CaseStudyListFilter): Promise<CaseStudyRow[]> {
      const order =
        filter.sort === 'title'
          ? sql`lower(title)`
          : filter.sort === 'evidence'
            ? sql`coalesce(confirmed_level, 0) desc, published_at desc nulls last`
            : sql`coalesce(published_at, updated_at) desc`;
      return listFilter(filter).selectAll().orderBy(order).orderBy('id').limit(filter.limit).offset(filter.offset).execute();
    },

    async countCaseStudies(filter: CaseStudyListFilter): Promise<number> {
      const row = await listFilter(filter)
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    },

    /** Case studies changed since an instant (all when none): the search source. */
    async listCaseStudiesChangedSince(since: Date | undefined): Promise<CaseStudyRow[]> {
      let query = db.selectFrom('case_studies').selectAll();
      if (since) query = query.where('updated_at', '>=', since);
      return query.orderBy('id').execute();
    },

    async replaceOutcomes(caseStudyId: number, replicationId: number | null, outcomes: readonly OutcomeInput[]): Promise<void> {
      let deletion = db.deleteFrom('case_study_outcomes').where('case_study_id', '=', caseStudyId);
      deletion =
        replicationId === null ? deletion.where('replication_id', 'is', null) : deletion.where('replication_id', '=', replicationId);
      await deletion.execute();
      if (outcomes.length === 0) return;
      await db
        .insertInto('case_study_outcomes')
        .values(
          outcomes.map((outcome, index) => ({
            case_study_id: caseStudyId,
            replication_id: replicationId,
            position: index + 1,
            ...outcome,
          })),
        )
        .execute();
    },

    async replaceLinks(caseStudyId: number, links: readonly LinkInput[]): Promise<void> {
      await db.deleteFrom('case_study_links').where('case_study_id', '=', caseStudyId).execute();
      if (links.length === 0) return;
      await db
        .insertInto('case_study_links')
        .values(
          links.map((link) => ({
            case_study_id: caseStudyId,
            kind: link.kind,
            reference: link.reference,
            point_number: link.pointNumber,
            label: link.label,
          })),
        )
        .execute();
    },

    async listOutcomes(caseStudyIds: readonly number[]): Promise<OutcomeRow[]> {
      if (caseStudyIds.length === 0) return [];
      return db.selectFrom('case_study_outcomes').selectAll().where('case_study_id', 'in', caseStudyIds).orderBy('position').execute();
    },

    async listLinks(caseStudyIds: readonly number[]): Promise<LinkRow[]> {
      if (caseStudyIds.length === 0) return [];
      return db
        .selectFrom('case_study_links')
        .selectAll()
        .where('case_study_id', 'in', caseStudyIds)
        .orderBy('kind')
        .orderBy('id')
        .execute();
    },

    async listReplications(caseStudyIds: readonly number[]): Promise<ReplicationRow[]> {
      if (caseStudyIds.length === 0) return [];
      return db.selectFrom('case_study_replications').selectAll().where('case_study_id', 'in', caseStudyIds).orderBy('id').execute();
    },

    async insertReplication(values: Insertable<CaseStudyReplicationsTable>): Promise<ReplicationRow> {
      return db.insertInto('case_study_replications').values(values).returningAll().executeTakeFirstOrThrow();
    },

    async replicationExists(caseStudyId: number, organisationId: number): Promise<boolean> {
      const row = await db
        .selectFrom('case_study_replications')
        .select('id')
        .where('case_study_id', '=', caseStudyId)
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Published case studies linked to a record (e.g. a component's slug), best evidenced first. */
    async listPublishedLinkedTo(kind: LinkKind, reference: string): Promise<(CaseStudyRow & { point_number: number | null })[]> {
      return db
        .selectFrom('case_study_links')
        .innerJoin('case_studies', 'case_studies.id', 'case_study_links.case_study_id')
        .selectAll('case_studies')
        .select('case_study_links.point_number')
        .where('case_study_links.kind', '=', kind)
        .where('case_study_links.reference', '=', reference)
        .where('case_studies.status', '=', 'published')
        .orderBy(sql`coalesce(case_studies.confirmed_level, 0)`, 'desc')
        .orderBy('case_studies.id')
        .execute();
    },

    /** References of every kind linked to published case studies with their best level (evidence gaps). */
    async listBestLevelByReference(kind: LinkKind): Promise<{ reference: string; best: number | null; count: number }[]> {
      const rows = await db
        .selectFrom('case_study_links')
        .innerJoin('case_studies', 'case_studies.id', 'case_study_links.case_study_id')
        .select(['case_study_links.reference as reference'])
        .select((eb) => [eb.fn.max('case_studies.confirmed_level').as('best'), eb.fn.countAll<number>().as('count')])
        .where('case_study_links.kind', '=', kind)
        .where('case_studies.status', '=', 'published')
        .groupBy('case_study_links.reference')
        .execute();
      return rows.map((row) => ({ reference: row.reference, best: row.best, count: row.count }));
    },
  };
}
