import type { Actor } from '../../platform/actor.js';
import { NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { LAWFUL_BASES, NEXT_STATUSES } from './agreements.labels.js';
import type { AgreementsCore, AgreementsDependencies } from './agreements.core.js';
import type { AgreementInput } from './agreements.types.js';

/** Reading the register: one agreement, the form to change it, pages of the register, search documents and each council’s flows. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAgreementRegisterService(dependencies: AgreementsDependencies, core: AgreementsCore) {
  const { repository, organisationsService } = dependencies;
  const { requireAgreement, organisationsById, partiesOf, present, presentOne, canManage, canSee } = core;

  return {
    /** One agreement as the public sees it, with what the viewer may do; drafts only for their parties. */
    async getAgreement(actor: Actor | null, slug: string) {
      const row = await requireAgreement(slug);
      if (!(await canSee(actor, row))) throw new NotFoundError(`No data-sharing agreement has the address ${slug}`);
      const versions = await repository.listAgreementVersions(row.id);
      return {
        agreement: await presentOne(row),
        versions: versions.map((version) => ({
          version: version.version,
          status: version.status,
          changes: version.changes,
          note: version.note,
          at: version.created_at.toISOString(),
        })),
        canManage: canManage(actor, row),
        nextStatuses: canManage(actor, row) ? NEXT_STATUSES[row.status] : [],
      };
    },

    /** The form's values for the lead organisation's people, personal fields included. */
    async getAgreementForEditing(actor: Actor, slug: string): Promise<{ input: AgreementInput; title: string }> {
      const row = await requireAgreement(slug);
      if (!canManage(actor, row)) throw new NotAllowedError('Only people at the lead organisation can change this agreement');
      const parties = (await repository.listParties([row.id])).filter((party) => party.organisation_id !== row.lead_organisation_id);
      const lead = (await repository.listParties([row.id])).find((party) => party.organisation_id === row.lead_organisation_id);
      const names = await organisationsById(parties.map((party) => party.organisation_id));
      const others = parties.map((party) => ({ organisation: names.get(party.organisation_id)?.slug ?? '', role: party.role }));
      return {
        title: row.title,
        input: {
          title: row.title,
          purpose: row.purpose,
          lawfulBasis: row.lawful_basis,
          specialCategory: row.special_category,
          article9Condition: row.article9_condition ?? '',
          schedule1Condition: row.schedule1_condition ?? '',
          dataSubjects: row.data_subjects,
          dataItems: row.data_items,
          standardSlugs: row.standard_slugs,
          dpiaStatus: row.dpia_status,
          dpiaOutcome: row.dpia_outcome,
          dpiaTriggers: row.dpia_triggers,
          retention: row.retention,
          security: row.security,
          reviewDate: row.review_date,
          signedOffRole: row.signed_off_role,
          signedOffByName: row.signed_off_by_name,
          signedOffOn: row.signed_off_on ?? '',
          contactName: row.contact_name,
          contactEmail: row.contact_email,
          parties: others,
          leadRole: lead?.role ?? 'controller',
        },
      };
    },

    /** A page of the register (drafts only for their parties), public fields only. */
    async listAgreements(
      actor: Actor | null,
      query: { q?: string; status?: string; organisation?: string; sort?: 'title' | 'updated' | 'review'; page: number; pageSize: number },
    ) {
      const organisationId = query.organisation ? (await organisationsService.getOrganisation(query.organisation)).id : undefined;
      const { total, rows } = await repository.listAgreements(
        { q: query.q, status: query.status, organisationId, draftsVisibleTo: actor?.organisationId ?? null, sort: query.sort ?? 'title' },
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
      );
      const parties = await partiesOf(rows);
      const leads = await organisationsById(rows.map((row) => row.lead_organisation_id));
      const items = rows.map((row) => {
        const lead = leads.get(row.lead_organisation_id) ?? { name: '', slug: '' };
        return { ...present(row, parties.get(row.id) ?? []), lead: { name: lead.name, slug: lead.slug } };
      });
      return { total, items };
    },

    /**
     * Every agreement as a search document: drafts only for the lead organisation's people, the rest for everyone;
     * nothing personal (no officer's name or email), as on the public page. Agreements are few: always all of them.
     */
    async listSearchDocuments(): Promise<SearchDocumentInput[]> {
      const rows = await repository.listAllAgreements();
      const parties = await partiesOf(rows);
      return rows.map((row) => {
        const names = (parties.get(row.id) ?? []).map((party) => party.name);
        return {
          type: 'agreement',
          key: row.slug,
          title: row.title,
          body: [
            row.purpose,
            `Shared between ${names.join(', ')}.`,
            `Data shared: ${row.data_items}`,
            `About: ${row.data_subjects}`,
            `Lawful basis: ${(LAWFUL_BASES as Record<string, string>)[row.lawful_basis] ?? row.lawful_basis}.`,
          ].join('\n'),
          url: `/data-sharing/agreements/${row.slug}`,
          visibility: row.status === 'draft' ? ('organisation' as const) : ('public' as const),
          ownerOrganisationId: row.lead_organisation_id,
          topics: row.standard_slugs.map((slug) => `data-standard:${slug}`),
          updatedAt: row.updated_at,
        };
      });
    },

    /** One organisation's flows: who it shares with, what and why (agreements in force only). */
    async listFlows(code: string) {
      const organisation = await organisationsService.getOrganisation(code);
      const { rows } = await repository.listAgreements(
        { organisationId: organisation.id, draftsVisibleTo: null, sort: 'title' },
        { offset: 0, limit: 500 },
      );
      const parties = await partiesOf(rows);
      const flows = rows.map((row) => {
        const all = parties.get(row.id) ?? [];
        return {
          agreement: { slug: row.slug, title: row.title, status: row.status, url: `/data-sharing/agreements/${row.slug}` },
          purpose: row.purpose,
          dataItems: row.data_items,
          lawfulBasis: row.lawful_basis,
          ownRole: all.find((party) => party.slug === organisation.slug)?.role ?? null,
          partners: all.filter((party) => party.slug !== organisation.slug),
        };
      });
      return { organisation: { name: organisation.name, slug: organisation.slug, code }, flows };
    },
  };
}
