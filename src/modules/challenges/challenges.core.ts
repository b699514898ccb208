import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { type AuditEvent, recordAuditEvent } from '../../platform/audit.js';
import { isoDate, type Clock } from '../../platform/clock.js';
import { NotAllowedError, NotFoundError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail.js';
import { BUDGET_BAND_LABELS, SERVICE_AREA_LABELS, STAGE_LABELS } from './challenges.labels.js';
import { challengesPolicy } from './challenges.policy.js';
import type { ChallengeListRow, ChallengesRepository, ChallengesTransaction, SharerListRow } from './challenges.repository.js';
import { type ChallengeTables } from './challenges.tables.js';
import type { ChallengesSettings, ChallengeSummary, ComponentLookup, ComponentReference, Sharer } from './challenges.types.js';
import { challengePath, COUNCIL_KINDS, STALE_AFTER_MONTHS } from './challenges.records.js';

/** What the challenges services are built from, wired once in src/app/services.ts. */
export interface ChallengesDependencies {
  /** From the identity module, which owns people: who to remind when a challenge's contact cannot be reached. */
  listOrganisationAdminEmails: (organisationId: number) => Promise<string[]>;
  challengesRepository: ChallengesRepository;
  transaction: ChallengesTransaction;
  mailer: Mailer;
  clock: Clock;
  settings: ChallengesSettings;
  /** The catalogue's lookup by slug; null while the catalogue does not offer one (slugs are then shown as they are). */
  findComponent?: ComponentLookup | null;
}

/** Shapes and lookups the challenges use cases share: summaries, sharers, who may see or manage a challenge. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createChallengesCore({
  challengesRepository,
  clock,
  findComponent = null,
}: Pick<ChallengesDependencies, 'challengesRepository' | 'clock' | 'findComponent'>) {
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

  return { audit, staleCutoff, summary, sharer, visibleChallenge, managedChallenge, requireCouncil, componentReference };
}

export type ChallengesCore = ReturnType<typeof createChallengesCore>;
