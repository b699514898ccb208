import type { Actor } from '../../platform/actor.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { APPROACH_LABELS, STAGE_LABELS } from './challenges.labels.js';
import { challengesPolicy } from './challenges.policy.js';
import type { ChallengeFilter } from './challenges.repository.js';
import type { ChallengeQuery, ChallengeSummary } from './challenges.types.js';
import { challengePath, COLLABORATION_MINIMUM, summariseDemand } from './challenges.records.js';
import { createChallengesCore, type ChallengesCore, type ChallengesDependencies } from './challenges.core.js';

/** Finding challenges: lists and filters, similar challenges, one challenge with its demand, and figures for other modules. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createListingService(deps: ChallengesDependencies, core: ChallengesCore = createChallengesCore(deps)) {
  const { challengesRepository } = deps;
  const { staleCutoff, summary, sharer, visibleChallenge, componentReference } = core;

  return {
    /** A page of public challenges (and the actor's council's drafts) matching the filters, with how many match. */
    async listChallenges(query: ChallengeQuery, actor: Actor | null = null): Promise<{ total: number; items: ChallengeSummary[] }> {
      const filter: ChallengeFilter = {
        q: query.q,
        stage: query.stage,
        serviceArea: query.serviceArea,
        budgetBand: query.budgetBand,
        region: query.region,
        councilType: query.tier,
        minSharers: query.minSharers,
        staleBefore: query.staleOnly ? staleCutoff() : undefined,
        draftsOf: actor?.organisationId ?? null,
      };
      const { total, rows } = await challengesRepository.listChallenges(
        filter,
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
        query.sort ?? 'demand',
      );
      return { total, items: rows.map(summary) };
    },

    /** Public challenges most like a text (a draft's title and problem), best first, each with a score from 0 to 1. */
    async findSimilarChallenges(text: string, options: { limit?: number; excludeId?: number } = {}) {
      const trimmed = text.trim().slice(0, 4000);
      if (trimmed.length < 3) return [];
      const rows = await challengesRepository.listSimilarChallenges(trimmed, options.limit ?? 5, options.excludeId);
      return rows.map((row) => ({ ...summary(row), score: Math.min(1, Math.max(0, row.score)) }));
    },

    /** One challenge with its sharers, demand, history, responses, components and collaboration. */
    async getChallenge(id: number, actor: Actor | null = null) {
      const row = await visibleChallenge(id, actor);
      const canManage = actor !== null && challengesPolicy.canManageChallenge(actor, row.owner_organisation_id);
      const [sharerRows, history, responses, links, collaboration, mergedInto] = await Promise.all([
        challengesRepository.listSharers(id, row.owner_organisation_id),
        challengesRepository.listStageHistory(id),
        challengesRepository.listResponses(id, !canManage),
        challengesRepository.listComponentLinks(id),
        challengesRepository.findCollaboration(id),
        row.merged_into_id === null ? Promise.resolve(undefined) : challengesRepository.findChallenge(row.merged_into_id),
      ]);
      const sharers = sharerRows.map((entry) => sharer(entry, row.owner_organisation_id));
      const components = await Promise.all(
        links.map(async (link) => ({ ...(await componentReference(link.component_slug)), relation: link.relation, note: link.note })),
      );
      const actorShares = actor?.organisationId != null && sharers.some((entry) => entry.organisationId === actor.organisationId);
      return {
        ...summary(row),
        affects: row.affects,
        workaround: row.workaround,
        goodLooksLike: row.good_looks_like,
        constraints: row.constraints,
        timescale: row.timescale,
        contractEndDate: row.contract_end_date,
        contactName: row.contact_name,
        contactEmail: row.contact_email,
        mergedInto: mergedInto ? { id: mergedInto.id, title: mergedInto.title, url: challengePath(mergedInto.id) } : null,
        sharers,
        demand: summariseDemand(sharers),
        history: history.map((entry) => ({
          stage: entry.stage,
          stageLabel: STAGE_LABELS[entry.stage],
          note: entry.note,
          changedAt: entry.changed_at.toISOString(),
        })),
        responses: responses.map((response) => ({
          id: response.id,
          supplierName: response.supplier_name,
          offer: response.offer,
          evidence: response.evidence,
          priceModel: response.price_model,
          status: response.status,
          createdAt: response.created_at.toISOString(),
        })),
        components,
        solvedBy: components.filter((component) => component.relation === 'solved-by'),
        collaboration: collaboration
          ? {
              approach: collaboration.approach,
              approachLabel: APPROACH_LABELS[collaboration.approach],
              url: `/challenges/${id}/collaboration`,
            }
          : null,
        permissions: {
          canManage,
          canJoin: actor !== null && challengesPolicy.canSpeakForCouncil(actor) && !actorShares,
          canLeave: actor !== null && actorShares && actor.organisationId !== row.owner_organisation_id,
          canRespond: actor !== null && challengesPolicy.canRespond(actor),
          canMerge: actor !== null && challengesPolicy.canMerge(actor),
          canPropose:
            actor !== null &&
            collaboration === undefined &&
            sharers.length >= COLLABORATION_MINIMUM &&
            challengesPolicy.canPropose(
              actor,
              sharers.map((entry) => entry.organisationId),
            ),
        },
      };
    },

    /** Public challenges linked to a catalogue component, for the catalogue's pages. */
    async listChallengesForComponent(componentSlug: string) {
      const rows = await challengesRepository.listChallengesByComponent(componentSlug);
      return rows.map((row) => ({ id: row.id, title: row.title, stage: row.stage, relation: row.relation, url: challengePath(row.id) }));
    },

    /** What an organisation's page shows of its challenges: the newest it raised or shares, and how many in all. */
    async summariseOrganisationChallenges(organisationId: number, actor: Actor | null, limit = 5) {
      const includeDrafts = actor !== null && challengesPolicy.canSeeDraft(actor, organisationId);
      const { rows, total } = await challengesRepository.listChallengesOfOrganisation(organisationId, includeDrafts, limit);
      return {
        total,
        items: rows.map((row) => ({
          id: row.id,
          title: row.title,
          stageLabel: STAGE_LABELS[row.stage],
          raised: row.owner_organisation_id === organisationId,
          draft: row.visibility === 'draft',
          url: challengePath(row.id),
        })),
      };
    },

    /** Regions and tiers the pipeline's filters offer. */
    /** Public challenges as facts for sector figures: stage, the councils sharing each (ids), published responses, collaboration. */
    async listChallengeFacts() {
      const rows = await challengesRepository.listChallengeFacts();
      return rows.map((row) => ({
        id: row.id,
        title: row.title,
        stage: row.stage,
        createdAt: row.created_at.toISOString(),
        sharerIds: (row.sharer_ids ?? []).map(Number),
        responses: row.responses ?? 0,
        collaboration: Boolean(row.collaboration),
        url: challengePath(row.id),
      }));
    },

    listFacetValues: () => challengesRepository.listFacetValues(),

    /**
     * Challenges as search documents (changed since an instant, or all). Drafts and merged challenges are seen only
     * by the owning council, as on their pages.
     */
    async listSearchDocuments(changedSince?: Date): Promise<SearchDocumentInput[]> {
      const rows = await challengesRepository.listChallengesChangedSince(changedSince);
      return rows.map((row) => ({
        type: 'challenge',
        key: String(row.id),
        title: row.title,
        body: [row.problem, row.affects, row.good_looks_like, `Shared by ${row.shared_by} councils. Posted by ${row.owner_name}.`]
          .filter(Boolean)
          .join('\n'),
        url: challengePath(row.id),
        serviceArea: row.service_area,
        region: row.owner_region,
        councilType: row.owner_council_type,
        visibility: row.visibility === 'public' && row.merged_into_id === null ? ('public' as const) : ('organisation' as const),
        ownerOrganisationId: row.owner_organisation_id,
        topics: [
          `service-area:${row.service_area}`,
          ...(row.owner_region ? [`region:${row.owner_region}`] : []),
          ...row.component_slugs.map((slug) => `component:${slug}`),
        ],
        updatedAt: row.updated_at,
      }));
    },
  };
}
