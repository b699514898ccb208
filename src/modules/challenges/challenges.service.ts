import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import type { SearchDocumentInput } from '../../platform/search.js';
import { APPROACH_LABELS, BUDGET_BAND_LABELS, SCALE_UNITS, SERVICE_AREA_LABELS, STAGE_LABELS } from './challenges.labels.js';
import { challengesPolicy } from './challenges.policy.js';
import type {
  ChallengeFilter,
  ChallengeListRow,
  ChallengeSort,
  ChallengesRepository,
  ChallengesTransaction,
  SharerListRow,
} from './challenges.repository.js';
import {
  APPROACHES,
  type Approach,
  BUDGET_BANDS,
  type BudgetBand,
  type ChallengeTables,
  type ComponentRelation,
  SERVICE_AREAS,
  type ServiceArea,
  STAGES,
  type Stage,
} from './challenges.tables.js';

/** A challenge not updated for this many months is stale: its owner is asked to confirm or close it. */
export const STALE_AFTER_MONTHS = 6;
/** Below this score a match is noise (a shared common word); pages suggest only challenges scoring at least this. */
export const SUGGESTION_THRESHOLD = 0.15;
/** A challenge needs this many sharing councils before it can become a collaboration proposal. */
export const COLLABORATION_MINIMUM = 3;
const COUNCIL_KINDS = new Set(['principal', 'combined-authority', 'strategic-authority']);

/** A component of the catalogue, as the challenges pages show it. */
export interface ComponentReference {
  slug: string;
  name: string;
  href: string;
}

/** Finds a catalogue component by slug; wired in when the catalogue module offers it. */
export type ComponentLookup = (slug: string) => Promise<ComponentReference | null>;

/** A component lookup for `findComponent`, from a catalogue function that throws NotFoundError for an unknown slug. */
export function componentLookupThrough(
  getComponent: (slug: string) => Promise<{ component: { slug: string; name: string } }>,
): ComponentLookup {
  return async (slug) => {
    try {
      const { component } = await getComponent(slug);
      return { slug: component.slug, name: component.name, href: `/components/${encodeURIComponent(component.slug)}` };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
}

export interface ChallengesSettings {
  publicBaseUrl: string;
}

/** What a council writes when it posts or edits a challenge; the form's fields, as text. */
export interface ChallengeInput {
  title: string;
  problem: string;
  affects?: string | undefined;
  serviceArea: string;
  workaround?: string | undefined;
  goodLooksLike?: string | undefined;
  constraints?: string | undefined;
  budgetBand?: string | undefined;
  timescale?: string | undefined;
  contractEndDate?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  visibility?: string | undefined;
  /** The owning council's own scale (residents or cases affected). */
  scale?: string | number | undefined;
  scaleUnit?: string | undefined;
}

/** What a council says when it joins a challenge. */
export interface ShareInput {
  scale?: string | number | undefined;
  scaleUnit?: string | undefined;
  budgetBand?: string | undefined;
  timing?: string | undefined;
  comment?: string | undefined;
}

export interface ChallengeSummary {
  id: number;
  title: string;
  problem: string;
  serviceArea: ServiceArea;
  serviceAreaLabel: string;
  stage: Stage;
  stageLabel: string;
  budgetBand: BudgetBand;
  budgetBandLabel: string;
  visibility: 'public' | 'draft';
  owner: { name: string; code: string };
  sharedBy: number;
  combinedScale: number;
  /** Each unit's total over the sharing councils, largest first: unlike units are never added together. */
  scaleByUnit: { unit: string; total: number }[];
  createdAt: string;
  updatedAt: string;
  stale: boolean;
  url: string;
}

export interface Sharer {
  organisationId: number;
  name: string;
  code: string;
  tier: string | null;
  region: string | null;
  current: boolean;
  owner: boolean;
  scale: number | null;
  scaleUnit: string;
  budgetBand: BudgetBand;
  budgetBandLabel: string;
  timing: string;
  comment: string;
  joinedAt: string;
}

export interface Demand {
  /** Councils sharing the challenge, each counted once. */
  sharedBy: number;
  currentCouncils: number;
  formerCouncils: number;
  byTier: { tier: string; count: number }[];
  byRegion: { region: string; count: number }[];
  combinedScale: number;
  scaleByUnit: { unit: string; total: number }[];
}

/** Sharers of a challenge and what they add up to: each organisation once, former councils flagged. */
export function summariseDemand(sharers: readonly Sharer[]): Demand {
  const byOrganisation = new Map<number, Sharer>();
  for (const sharer of sharers) if (!byOrganisation.has(sharer.organisationId)) byOrganisation.set(sharer.organisationId, sharer);
  const unique = [...byOrganisation.values()];
  const tally = (key: (sharer: Sharer) => string) => {
    const counts = new Map<string, number>();
    for (const sharer of unique) counts.set(key(sharer), (counts.get(key(sharer)) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const units = new Map<string, number>();
  for (const sharer of unique) if (sharer.scale !== null) units.set(sharer.scaleUnit, (units.get(sharer.scaleUnit) ?? 0) + sharer.scale);
  return {
    sharedBy: unique.length,
    currentCouncils: unique.filter((sharer) => sharer.current).length,
    formerCouncils: unique.filter((sharer) => !sharer.current).length,
    byTier: tally((sharer) => sharer.tier ?? 'Other').map(([tier, count]) => ({ tier, count })),
    byRegion: tally((sharer) => sharer.region ?? 'Not recorded').map(([region, count]) => ({ region, count })),
    combinedScale: unique.reduce((total, sharer) => total + (sharer.scale ?? 0), 0),
    scaleByUnit: [...units.entries()].map(([unit, total]) => ({ unit, total })),
  };
}

export interface ChallengeQuery {
  q?: string | undefined;
  stage?: Stage | undefined;
  serviceArea?: ServiceArea | undefined;
  budgetBand?: BudgetBand | undefined;
  region?: string | undefined;
  tier?: string | undefined;
  minSharers?: number | undefined;
  staleOnly?: boolean | undefined;
  sort?: ChallengeSort | undefined;
  page: number;
  pageSize: number;
}

/** The path of the page that turns a shared challenge into a collaboration proposal (other modules link to it). */
export function startCollaborationPath(challengeId: number): string {
  return `/challenges/${challengeId}/collaboration/new`;
}

/** The path of a challenge's page. */
export function challengePath(challengeId: number): string {
  return `/challenges/${challengeId}`;
}

/** The challenge pipeline: posting, sharing, similar-challenge search, responses, collaborations and keep-alive reminders. */
export function createChallengesService({
  challengesRepository,
  transaction,
  mailer,
  clock,
  settings,
  findComponent = null,
  listOrganisationAdminEmails,
}: {
  /** From the identity module, which owns people: who to remind when a challenge's contact cannot be reached. */
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  challengesRepository: ChallengesRepository;
  transaction: ChallengesTransaction;
  mailer: Mailer;
  clock: Clock;
  settings: ChallengesSettings;
  /** The catalogue's lookup by slug; null while the catalogue does not offer one (slugs are then shown as they are). */
  findComponent?: ComponentLookup | null;
}) {
  const audit = (trx: Kysely<ChallengeTables>, actor: Actor | null, event: AuditEvent) => recordAuditEvent(trx, actor, event);
  const staleCutoff = () => {
    const cutoff = new Date(clock());
    cutoff.setUTCMonth(cutoff.getUTCMonth() - STALE_AFTER_MONTHS);
    return cutoff;
  };
  const isCurrent = (endDate: string | null) => endDate === null || endDate > isoDate(clock());

  function summary(row: ChallengeListRow): ChallengeSummary {
    return {
      id: row.id,
      title: row.title,
      problem: row.problem,
      serviceArea: row.service_area,
      serviceAreaLabel: SERVICE_AREA_LABELS[row.service_area],
      stage: row.stage,
      stageLabel: STAGE_LABELS[row.stage],
      budgetBand: row.budget_band,
      budgetBandLabel: BUDGET_BAND_LABELS[row.budget_band],
      visibility: row.visibility,
      owner: { name: row.owner_name, code: row.owner_code },
      sharedBy: row.shared_by,
      combinedScale: row.combined_scale,
      scaleByUnit: row.scale_by_unit
        ? row.scale_by_unit.split(';').map((pair) => {
            const at = pair.lastIndexOf('=');
            return { unit: pair.slice(0, at), total: Number(pair.slice(at + 1)) };
          })
        : [],
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      stale: row.updated_at < staleCutoff() && row.stage !== 'solved' && row.stage !== 'closed',
      url: challengePath(row.id),
    };
  }

  function sharer(row: SharerListRow, ownerOrganisationId: number): Sharer {
    return {
      organisationId: row.organisation_id,
      name: row.organisation_name,
      code: row.organisation_code,
      tier: row.council_type_name,
      region: row.region,
      current: isCurrent(row.end_date),
      owner: row.organisation_id === ownerOrganisationId,
      scale: row.scale,
      scaleUnit: row.scale_unit,
      budgetBand: row.budget_band,
      budgetBandLabel: BUDGET_BAND_LABELS[row.budget_band],
      timing: row.timing,
      comment: row.comment,
      joinedAt: row.joined_at.toISOString(),
    };
  }

  /** A challenge the actor may see: public ones for everyone, drafts for the owning council. */
  async function visibleChallenge(id: number, actor: Actor | null): Promise<ChallengeListRow> {
    const row = await challengesRepository.findChallenge(id);
    if (!row || (row.visibility === 'draft' && !challengesPolicy.canSeeDraft(actor, row.owner_organisation_id)))
      throw new NotFoundError(`No challenge has the number ${id}`);
    return row;
  }

  async function managedChallenge(id: number, actor: Actor): Promise<ChallengeListRow> {
    const row = await visibleChallenge(id, actor);
    if (!challengesPolicy.canManageChallenge(actor, row.owner_organisation_id))
      throw new NotAllowedError(`Only people at ${row.owner_name} can change this challenge`);
    return row;
  }

  async function requireCouncil(actor: Actor): Promise<{ id: number; name: string }> {
    if (!challengesPolicy.canSpeakForCouncil(actor) || actor.organisationId === null)
      throw new NotAllowedError('Only people who work for a council can post or share challenges');
    const organisation = await challengesRepository.findOrganisationById(actor.organisationId);
    if (!organisation || !COUNCIL_KINDS.has(organisation.kind))
      throw new NotAllowedError('Only people who work for a council can post or share challenges');
    return organisation;
  }

  async function componentReference(slug: string): Promise<ComponentReference> {
    const found = findComponent ? await findComponent(slug) : null;
    return found ?? { slug, name: slug, href: `/components/${encodeURIComponent(slug)}` };
  }

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

    /** Posts a challenge for the actor's council, with the council as its first sharer; returns its number. */
    async createChallenge(actor: Actor, input: ChallengeInput): Promise<number> {
      const organisation = await requireCouncil(actor);
      const values = validateChallenge(input);
      const share = validateShare({ scale: input.scale, scaleUnit: input.scaleUnit, budgetBand: input.budgetBand });
      return transaction(async (repository, trx) => {
        const row = await repository.insertChallenge({
          ...values,
          stage: 'identified',
          owner_organisation_id: organisation.id,
          created_by: actor.userId,
          contact_name: values.contact_name || (actor.name ?? ''),
          contact_email: values.contact_email || actor.email,
        });
        await repository.insertStageHistory({ challenge_id: row.id, stage: 'identified', note: 'Posted', changed_by: actor.userId });
        await repository.insertSharer({ challenge_id: row.id, organisation_id: organisation.id, joined_by: actor.userId, ...share });
        await audit(trx, actor, {
          action: 'challenge.create',
          subjectType: 'challenge',
          subjectId: row.id,
          organisationId: organisation.id,
          before: null,
          after: { ...row, share },
        });
        return row.id;
      });
    },

    /** Changes what a challenge says, or publishes a draft. */
    async updateChallenge(actor: Actor, id: number, input: ChallengeInput): Promise<void> {
      const current = await managedChallenge(id, actor);
      const values = validateChallenge(input);
      await transaction(async (repository, trx) => {
        const after = await repository.updateChallenge(id, { ...values, updated_at: clock() });
        await audit(trx, actor, {
          action: 'challenge.update',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: current.owner_organisation_id,
          before: pickEditable(current),
          after: pickEditable(after),
        });
      });
    },

    /** Moves a challenge to a new stage, recorded with the date and a note. */
    async changeStage(actor: Actor, id: number, stage: Stage, note: string): Promise<void> {
      const current = await managedChallenge(id, actor);
      if (!STAGES.includes(stage)) throw new InputError('Choose a stage', [{ field: 'stage', message: 'Choose a stage' }]);
      await transaction(async (repository, trx) => {
        await repository.updateChallenge(id, { stage, updated_at: clock() });
        await repository.insertStageHistory({ challenge_id: id, stage, note: note.trim().slice(0, 1000), changed_by: actor.userId });
        await audit(trx, actor, {
          action: 'challenge.change-stage',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: current.owner_organisation_id,
          before: { stage: current.stage },
          after: { stage, note: note.trim() },
        });
      });
    },

    /** The owner confirms the challenge is still live: it stops being stale. */
    async confirmChallenge(actor: Actor, id: number): Promise<void> {
      const current = await managedChallenge(id, actor);
      await transaction(async (repository, trx) => {
        const after = await repository.updateChallenge(id, { updated_at: clock() });
        await audit(trx, actor, {
          action: 'challenge.confirm',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: current.owner_organisation_id,
          before: { updatedAt: current.updated_at.toISOString() },
          after: { updatedAt: after.updated_at.toISOString() },
        });
      });
    },

    /** "We have this too": the actor's council joins a challenge with its own scale, budget, timing and comment. */
    async joinChallenge(actor: Actor, id: number, input: ShareInput): Promise<void> {
      const challenge = await visibleChallenge(id, actor);
      const organisation = await requireCouncil(actor);
      if (challenge.merged_into_id !== null) throw new ConflictError('This challenge was merged into another: join that one');
      const share = validateShare(input);
      await transaction(async (repository, trx) => {
        if (await repository.findActiveSharer(id, organisation.id))
          throw new ConflictError(`${organisation.name} already shares this challenge`);
        const row = await repository.insertSharer({
          challenge_id: id,
          organisation_id: organisation.id,
          joined_by: actor.userId,
          ...share,
        });
        await audit(trx, actor, {
          action: 'challenge.join',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: organisation.id,
          before: null,
          after: { sharerId: row.id, organisationId: organisation.id, ...share },
        });
      });
    },

    /** The actor's council stops sharing a challenge (the owning council closes it instead). */
    async leaveChallenge(actor: Actor, id: number): Promise<void> {
      const challenge = await visibleChallenge(id, actor);
      const organisation = await requireCouncil(actor);
      if (organisation.id === challenge.owner_organisation_id)
        throw new ConflictError('The council that posted a challenge cannot leave it; close it instead');
      await transaction(async (repository, trx) => {
        const share = await repository.findActiveSharer(id, organisation.id);
        if (!share) throw new ConflictError(`${organisation.name} does not share this challenge`);
        const after = await repository.markSharerLeft(share.id, clock());
        await audit(trx, actor, {
          action: 'challenge.leave',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: organisation.id,
          before: { sharerId: share.id, leftAt: null },
          after: { sharerId: share.id, leftAt: after.left_at?.toISOString() ?? null },
        });
      });
    },

    /** A supplier publishes a response (offer, case evidence, price model), which the owning council moderates. */
    async respondToChallenge(actor: Actor, id: number, input: { offer: string; evidence?: string; priceModel?: string }): Promise<number> {
      const challenge = await visibleChallenge(id, actor);
      if (!challengesPolicy.canRespond(actor) || actor.organisationId === null)
        throw new NotAllowedError('Only supplier accounts can respond to challenges');
      const offer = input.offer.trim();
      if (!offer) throw new InputError('Enter what you offer', [{ field: 'offer', message: 'Enter what you offer for this challenge' }]);
      if (offer.length > 5000)
        throw new InputError('What you offer must be 5,000 characters or fewer', [
          { field: 'offer', message: 'What you offer must be 5,000 characters or fewer' },
        ]);
      const supplierOrganisationId = actor.organisationId;
      const id_ = await transaction(async (repository, trx) => {
        const row = await repository.insertResponse({
          challenge_id: id,
          supplier_organisation_id: supplierOrganisationId,
          author_id: actor.userId,
          offer,
          evidence: (input.evidence ?? '').trim().slice(0, 5000),
          price_model: (input.priceModel ?? '').trim().slice(0, 1000),
        });
        await audit(trx, actor, {
          action: 'challenge-response.create',
          subjectType: 'challenge-response',
          subjectId: row.id,
          organisationId: challenge.owner_organisation_id,
          before: null,
          after: row,
        });
        return row.id;
      });
      return id_;
    },

    /** The owning council publishes or rejects a supplier's response. */
    async moderateResponse(
      actor: Actor,
      challengeId: number,
      responseId: number,
      decision: 'publish' | 'reject',
      note = '',
    ): Promise<void> {
      const challenge = await managedChallenge(challengeId, actor);
      const response = await challengesRepository.findResponse(responseId);
      if (!response || response.challenge_id !== challengeId) throw new NotFoundError('No such response to this challenge');
      await transaction(async (repository, trx) => {
        const after = await repository.moderateResponse(responseId, {
          status: decision === 'publish' ? 'published' : 'rejected',
          moderated_by: actor.userId,
          moderated_at: clock(),
          moderation_note: note.trim().slice(0, 1000),
        });
        await audit(trx, actor, {
          action: `challenge-response.${decision}`,
          subjectType: 'challenge-response',
          subjectId: responseId,
          organisationId: challenge.owner_organisation_id,
          before: { status: response.status },
          after: { status: after.status, note: after.moderation_note },
        });
      });
    },

    /** Links a catalogue component that might solve a challenge, or marks the challenge solved by it. */
    async linkComponent(
      actor: Actor,
      id: number,
      input: { componentSlug: string; relation: ComponentRelation; note?: string },
    ): Promise<void> {
      const challenge = await managedChallenge(id, actor);
      const slug = input.componentSlug.trim().toLowerCase();
      if (!/^[a-z0-9][a-z0-9-]{0,150}$/.test(slug))
        throw new InputError('Enter the component’s short name', [
          { field: 'componentSlug', message: 'Enter the component’s short name from its address, like open-referral-uk' },
        ]);
      if (findComponent && !(await findComponent(slug)))
        throw new InputError('There is no such component', [
          { field: 'componentSlug', message: `There is no component called ${slug} in the catalogue` },
        ]);
      await transaction(async (repository, trx) => {
        const { before, after } = await repository.upsertComponentLink({
          challenge_id: id,
          component_slug: slug,
          relation: input.relation,
          note: (input.note ?? '').trim().slice(0, 1000),
          added_by: actor.userId,
        });
        if (input.relation === 'solved-by' && challenge.stage !== 'solved') {
          await repository.updateChallenge(id, { stage: 'solved', updated_at: clock() });
          await repository.insertStageHistory({ challenge_id: id, stage: 'solved', note: `Solved by ${slug}`, changed_by: actor.userId });
        } else {
          await repository.updateChallenge(id, { updated_at: clock() });
        }
        await audit(trx, actor, {
          action: 'challenge.link-component',
          subjectType: 'challenge',
          subjectId: id,
          organisationId: challenge.owner_organisation_id,
          before: before
            ? { componentSlug: before.component_slug, relation: before.relation, stage: challenge.stage }
            : { stage: challenge.stage },
          after: {
            componentSlug: after.component_slug,
            relation: after.relation,
            stage: input.relation === 'solved-by' ? 'solved' : challenge.stage,
          },
        });
      });
    },

    /** Merges a duplicate into another challenge, keeping every supporter (each council once) and every response. */
    async mergeChallenge(actor: Actor, duplicateId: number, intoId: number): Promise<{ moved: number; alreadySharing: number }> {
      if (!challengesPolicy.canMerge(actor)) throw new NotAllowedError('Only platform admins can merge challenges');
      if (duplicateId === intoId)
        throw new InputError('A challenge cannot be merged into itself', [{ field: 'into', message: 'Choose a different challenge' }]);
      const duplicate = await visibleChallenge(duplicateId, actor);
      const target = await challengesRepository.findChallenge(intoId);
      if (!target || target.merged_into_id !== null)
        throw new InputError('Choose a challenge to merge into', [
          { field: 'into', message: `There is no open challenge number ${intoId}` },
        ]);
      if (duplicate.merged_into_id !== null) throw new ConflictError('This challenge has already been merged');
      return transaction(async (repository, trx) => {
        const result = await repository.moveSharers(duplicateId, intoId, clock());
        await repository.moveResponses(duplicateId, intoId);
        await repository.updateChallenge(duplicateId, { merged_into_id: intoId, stage: 'closed', updated_at: clock() });
        await repository.insertStageHistory({
          challenge_id: duplicateId,
          stage: 'closed',
          note: `Merged into challenge ${intoId}`,
          changed_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'challenge.merge',
          subjectType: 'challenge',
          subjectId: duplicateId,
          organisationId: duplicate.owner_organisation_id,
          before: { mergedInto: null, stage: duplicate.stage },
          after: { mergedInto: intoId, stage: 'closed', ...result },
        });
        return result;
      });
    },

    /** Turns a challenge shared by three or more councils into a collaboration proposal. */
    async proposeCollaboration(
      actor: Actor,
      id: number,
      input: {
        leadOrganisationId: number;
        partnerOrganisationIds: readonly number[];
        approach: string;
        componentSlug?: string;
        summary?: string;
      },
    ): Promise<void> {
      const challenge = await visibleChallenge(id, actor);
      const sharers = await challengesRepository.listSharers(id, challenge.owner_organisation_id);
      const sharing = sharers.map((entry) => entry.organisation_id);
      if (!challengesPolicy.canPropose(actor, sharing))
        throw new NotAllowedError('Only a council that shares this challenge can propose a collaboration');
      if (sharing.length < COLLABORATION_MINIMUM)
        throw new ConflictError(`A collaboration needs at least ${COLLABORATION_MINIMUM} councils sharing the challenge`);
      const problems: { field: string; message: string }[] = [];
      if (!sharing.includes(input.leadOrganisationId))
        problems.push({ field: 'lead', message: 'Choose the lead council from those sharing' });
      const partners = [...new Set(input.partnerOrganisationIds)].filter((partner) => partner !== input.leadOrganisationId);
      if (partners.some((partner) => !sharing.includes(partner)))
        problems.push({ field: 'partners', message: 'Partners must be councils that share this challenge' });
      if (partners.length + 1 < COLLABORATION_MINIMUM)
        problems.push({ field: 'partners', message: `Choose at least ${COLLABORATION_MINIMUM - 1} partner councils besides the lead` });
      if (!APPROACHES.includes(input.approach as Approach))
        problems.push({ field: 'approach', message: 'Choose how you will work together' });
      const componentSlug = input.componentSlug?.trim().toLowerCase() || null;
      if (input.approach === 'reuse-component' && !componentSlug)
        problems.push({ field: 'componentSlug', message: 'Enter the component you will reuse' });
      if (problems.length > 0) throw new InputError(problems[0]?.message ?? 'Check the proposal', problems);
      await transaction(async (repository, trx) => {
        if (await repository.findCollaboration(id)) throw new ConflictError('This challenge already has a collaboration proposal');
        const row = await repository.insertCollaboration({
          challenge_id: id,
          lead_organisation_id: input.leadOrganisationId,
          partner_organisation_ids: partners,
          approach: input.approach as Approach,
          component_slug: componentSlug,
          summary: (input.summary ?? '').trim().slice(0, 5000),
          created_by: actor.userId,
        });
        await audit(trx, actor, {
          action: 'challenge.propose-collaboration',
          subjectType: 'challenge-collaboration',
          subjectId: row.id,
          organisationId: input.leadOrganisationId,
          before: null,
          after: row,
        });
      });
    },

    /** A collaboration proposal with its lead, partners and their combined demand. */
    async getCollaboration(id: number, actor: Actor | null = null) {
      const challenge = await visibleChallenge(id, actor);
      const proposal = await challengesRepository.findCollaboration(id);
      if (!proposal) throw new NotFoundError('This challenge has no collaboration proposal yet');
      const members = [proposal.lead_organisation_id, ...proposal.partner_organisation_ids];
      const sharers = (await challengesRepository.listSharers(id, challenge.owner_organisation_id))
        .filter((row) => members.includes(row.organisation_id))
        .map((row) => ({ ...sharer(row, challenge.owner_organisation_id), lead: row.organisation_id === proposal.lead_organisation_id }))
        .sort((a, b) => Number(b.lead) - Number(a.lead) || a.name.localeCompare(b.name));
      const component = proposal.component_slug ? await componentReference(proposal.component_slug) : null;
      return {
        challenge: summary(challenge),
        approach: proposal.approach,
        approachLabel: APPROACH_LABELS[proposal.approach],
        summary: proposal.summary,
        component,
        lead: sharers.find((entry) => entry.lead) ?? null,
        partners: sharers,
        demand: summariseDemand(sharers),
        budgetBands: BUDGET_BANDS.map((band) => ({
          band,
          label: BUDGET_BAND_LABELS[band],
          count: sharers.filter((entry) => entry.budgetBand === band).length,
        })).filter((entry) => entry.count > 0),
        createdAt: proposal.created_at.toISOString(),
      };
    },

    /** Asks the owners of challenges not updated for six months to confirm or close them; returns how many were asked. */
    async sendKeepAliveReminders(): Promise<number> {
      const due = await challengesRepository.listChallengesNeedingReminder(staleCutoff());
      for (const challenge of due) {
        const recipients = new Set([challenge.contact_email, ...(await listOrganisationAdminEmails(challenge.owner_organisation_id))]);
        await transaction(async (repository, trx) => {
          await repository.updateChallenge(challenge.id, { reminded_at: clock() });
          await audit(trx, null, {
            action: 'challenge.remind',
            subjectType: 'challenge',
            subjectId: challenge.id,
            organisationId: challenge.owner_organisation_id,
            before: { remindedAt: challenge.reminded_at?.toISOString() ?? null },
            after: { remindedAt: clock().toISOString(), recipients: [...recipients].filter(Boolean) },
          });
        });
        for (const recipient of recipients) {
          if (!recipient) continue;
          await mailer.send({
            to: recipient,
            subject: `Is this challenge still live? ${challenge.title}`,
            text: [
              `Nobody has updated the challenge “${challenge.title}” on Local Digital Commons since ${isoDate(challenge.updated_at)}.`,
              '',
              'Councils and suppliers use the pipeline to find live problems, so please confirm it is still live or close it:',
              `${settings.publicBaseUrl}${challengePath(challenge.id)}`,
              '',
              'Until then it is marked as stale in lists.',
            ].join('\n'),
          });
        }
      }
      return due.length;
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

    /**
     * Loads one demo challenge owned by a council, with other councils sharing it, in one transaction and one audit
     * event (no person acts: the system does). Skipped when the owner already has a challenge with the same title.
     */
    async seedChallenge(input: {
      ownerOrganisationId: number;
      challenge: ChallengeInput & { stage?: Stage };
      sharers: (ShareInput & { organisationId: number })[];
      updatedAt?: Date;
    }): Promise<number> {
      const existing = await challengesRepository.findChallengeByTitle(input.ownerOrganisationId, input.challenge.title.trim());
      if (existing) return existing.id;
      const values = validateChallenge(input.challenge);
      const ownerShare = validateShare(input.challenge);
      return transaction(async (repository, trx) => {
        const row = await repository.insertChallenge({
          ...values,
          stage: input.challenge.stage ?? 'identified',
          owner_organisation_id: input.ownerOrganisationId,
          created_by: null,
          ...(input.updatedAt ? { updated_at: input.updatedAt } : {}),
        });
        await repository.insertStageHistory({ challenge_id: row.id, stage: row.stage, note: 'Posted', changed_by: null });
        await repository.insertSharer({ challenge_id: row.id, organisation_id: input.ownerOrganisationId, joined_by: null, ...ownerShare });
        for (const share of input.sharers)
          await repository.insertSharer({
            challenge_id: row.id,
            organisation_id: share.organisationId,
            joined_by: null,
            ...validateShare(share),
          });
        await audit(trx, null, {
          action: 'challenge.create',
          subjectType: 'challenge',
          subjectId: row.id,
          organisationId: input.ownerOrganisationId,
          before: null,
          after: { ...row, sharers: input.sharers.map((share) => share.organisationId) },
        });
        return row.id;
      });
    },
  };
}

export type ChallengesService = ReturnType<typeof createChallengesService>;

function pickEditable(row: Omit<ChallengeListRow, 'owner_name' | 'owner_code' | 'shared_by' | 'combined_scale' | 'scale_by_unit'>) {
  return {
    title: row.title,
    problem: row.problem,
    affects: row.affects,
    serviceArea: row.service_area,
    workaround: row.workaround,
    goodLooksLike: row.good_looks_like,
    constraints: row.constraints,
    budgetBand: row.budget_band,
    timescale: row.timescale,
    contractEndDate: row.contract_end_date,
    visibility: row.visibility,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a challenge's fields; every problem names its field and says why. */
export function validateChallenge(input: ChallengeInput) {
  const problems: { field: string; message: string }[] = [];
  const text = (value: string | undefined, max: number, field: string, label: string) => {
    const trimmed = (value ?? '').trim();
    if (trimmed.length > max) problems.push({ field, message: `${label} must be ${max.toLocaleString('en-GB')} characters or fewer` });
    return trimmed;
  };
  const title = text(input.title, 200, 'title', 'Title');
  if (!title) problems.push({ field: 'title', message: 'Enter a title that says what the problem is' });
  const problem = text(input.problem, 10_000, 'problem', 'The problem');
  if (!problem) problems.push({ field: 'problem', message: 'Describe the problem in plain words' });
  else if (problem.length < 20) problems.push({ field: 'problem', message: 'Describe the problem in at least 20 characters' });
  if (!SERVICE_AREAS.includes(input.serviceArea as ServiceArea)) problems.push({ field: 'serviceArea', message: 'Choose a service area' });
  const budgetBand = input.budgetBand || 'unknown';
  if (!BUDGET_BANDS.includes(budgetBand as BudgetBand)) problems.push({ field: 'budgetBand', message: 'Choose a budget band' });
  const contractEndDate = (input.contractEndDate ?? '').trim() || null;
  if (contractEndDate && (!/^\d{4}-\d{2}-\d{2}$/.test(contractEndDate) || Number.isNaN(Date.parse(contractEndDate))))
    problems.push({ field: 'contractEndDate', message: 'Enter the contract end date as a real date, like 2027-03-31' });
  const contactEmail = text(input.contactEmail, 254, 'contactEmail', 'Contact email').toLowerCase();
  if (contactEmail && !EMAIL.test(contactEmail))
    problems.push({ field: 'contactEmail', message: 'Enter the contact email address in the correct format, like digital@council.gov.uk' });
  const visibility: 'public' | 'draft' = input.visibility === 'draft' ? 'draft' : 'public';
  const values = {
    title,
    problem,
    affects: text(input.affects, 2000, 'affects', 'Who it affects'),
    service_area: input.serviceArea as ServiceArea,
    workaround: text(input.workaround, 5000, 'workaround', 'The current workaround'),
    good_looks_like: text(input.goodLooksLike, 5000, 'goodLooksLike', 'What good looks like'),
    constraints: text(input.constraints, 5000, 'constraints', 'Constraints'),
    budget_band: budgetBand as BudgetBand,
    timescale: text(input.timescale, 200, 'timescale', 'Timescale'),
    contract_end_date: contractEndDate,
    visibility,
    contact_name: text(input.contactName, 200, 'contactName', 'Contact name'),
    contact_email: contactEmail,
  };
  if (problems.length > 0) throw new InputError(problems[0]?.message ?? 'Check the challenge', problems);
  return values;
}

/** Checks what a council says about its share of a challenge. */
export function validateShare(input: ShareInput) {
  const problems: { field: string; message: string }[] = [];
  const rawScale = typeof input.scale === 'number' ? String(input.scale) : (input.scale ?? '').replace(/[,\s]/g, '');
  let scale: number | null = null;
  if (rawScale) {
    if (!/^\d{1,9}$/.test(rawScale)) problems.push({ field: 'scale', message: 'Enter the scale as a whole number, like 1200' });
    else scale = Number(rawScale);
  }
  const scaleUnit = input.scaleUnit || 'residents';
  if (!(SCALE_UNITS as readonly string[]).includes(scaleUnit))
    problems.push({ field: 'scaleUnit', message: 'Choose what the scale counts' });
  const budgetBand = input.budgetBand || 'unknown';
  if (!BUDGET_BANDS.includes(budgetBand as BudgetBand)) problems.push({ field: 'budgetBand', message: 'Choose a budget band' });
  if (problems.length > 0) throw new InputError(problems[0]?.message ?? 'Check your answers', problems);
  return {
    scale,
    scale_unit: scaleUnit,
    budget_band: budgetBand as BudgetBand,
    timing: (input.timing ?? '').trim().slice(0, 200),
    comment: (input.comment ?? '').trim().slice(0, 2000),
  };
}
