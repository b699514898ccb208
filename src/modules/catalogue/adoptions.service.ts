import type { Actor } from '../../platform/actor.js';
import { isoDate } from '../../platform/clock.js';
import { NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { type CatalogueCore, type CatalogueDependencies, createCatalogueCore } from './catalogue.core.js';
import { ADOPTION_LABELS, FRESHNESS_MONTHS, REMINDER_AFTER_MONTHS, REMINDER_INTERVAL_DAYS } from './catalogue.labels.js';
import { cataloguePolicy } from './catalogue.policy.js';
import { addMonths, adoptionSnapshot } from './catalogue.records.js';
import type { AdoptionRow } from './catalogue.repository.js';
import type { AdoptionInput } from './catalogue.types.js';
import { validateAdoptionInput } from './catalogue.validation.js';

/** Adoptions: councils declaring, changing and re-confirming what they use, the history, and reminders to contacts. Over 80 lines as a set of short methods sharing one set of dependencies. */
export function createAdoptionsService(deps: CatalogueDependencies, core: CatalogueCore = createCatalogueCore(deps)) {
  const { catalogueRepository, transaction, mailer, clock, publicBaseUrl } = deps;
  const { audit, freshnessOf, requireComponent, writeDeclaration } = core;

  async function organisationOf(actor: Actor) {
    if (actor.organisationId === null) return undefined;
    return (await catalogueRepository.listOrganisationsByIds([actor.organisationId]))[0];
  }

  return {
    /** Every adoption as a fact for sector figures: component, organisation, status as declared and whether it is confirmed within the freshness window. */
    async listAdoptionFacts() {
      const [adoptions, components] = await Promise.all([catalogueRepository.listAllAdoptions(), catalogueRepository.listComponentNames()]);
      const byId = new Map(components.map((component) => [component.id, component]));
      const now = clock();
      return adoptions.flatMap((adoption) => {
        const component = byId.get(adoption.component_id);
        if (!component) return [];
        return [
          {
            componentSlug: component.slug,
            componentName: component.name,
            organisationId: adoption.organisation_id,
            status: adoption.status,
            freshness: freshnessOf(adoption, now),
            confirmedAt: adoption.confirmed_at.toISOString(),
          },
        ];
      });
    },

    /** The newest history entries of a component's declarations (history is never overwritten). */
    async listAdoptionHistory(slug: string, limit = 100) {
      const row = await requireComponent(slug);
      const events = await catalogueRepository.listAdoptionEventsForComponent(row.id, limit);
      return events.map((event) => ({
        organisation: { name: event.organisation_name, slug: event.organisation_slug },
        event: event.event,
        status: event.status,
        since: event.since,
        evidenceKind: event.evidence_kind,
        evidence: event.evidence,
        recordedAt: event.recorded_at.toISOString(),
      }));
    },

    /** The actor's organisation's declaration for a component, if it has one (to fill the form). */
    async getOwnAdoption(actor: Actor, slug: string): Promise<AdoptionRow | undefined> {
      if (actor.organisationId === null) return undefined;
      const row = await requireComponent(slug);
      return catalogueRepository.findAdoption(row.id, actor.organisationId);
    },

    /** Declares (or changes) the actor's organisation's adoption of a component; the change is kept in the history. */
    async declareAdoption(actor: Actor, slug: string, input: AdoptionInput): Promise<AdoptionRow> {
      const organisation = await organisationOf(actor);
      if (!organisation || !cataloguePolicy.canDeclareAdoption(actor, organisation.kind)) {
        throw new NotAllowedError('Only people at a council or other public body can declare that it adopts a component');
      }
      const component = await requireComponent(slug);
      return writeDeclaration(actor, organisation, component, validateAdoptionInput(input, isoDate(clock())), clock());
    },

    /** Re-confirms that the actor's organisation's declaration is still true, so it keeps counting for another 12 months. */
    async confirmAdoption(actor: Actor, slug: string): Promise<AdoptionRow> {
      const organisation = await organisationOf(actor);
      if (!organisation || !cataloguePolicy.canDeclareAdoption(actor, organisation.kind)) {
        throw new NotAllowedError('Only people at a council or other public body can confirm its adoption of a component');
      }
      const component = await requireComponent(slug);
      const now = clock();
      return transaction(async (repository, trx) => {
        const existing = await repository.findAdoption(component.id, organisation.id);
        if (!existing) throw new NotFoundError(`${organisation.name} has not declared an adoption of ${component.name} yet`);
        const adoption = await repository.updateAdoption(existing.id, { confirmed_at: now, declared_by_user_id: actor.userId });
        await repository.insertAdoptionEvent({
          adoption_id: adoption.id,
          component_id: component.id,
          organisation_id: organisation.id,
          event: 'confirmed',
          status: adoption.status,
          since: adoption.since,
          evidence_kind: adoption.evidence_kind,
          evidence: adoption.evidence,
          recorded_by_user_id: actor.userId,
          recorded_at: now,
        });
        await audit(trx, actor, {
          action: 'adoption.confirmed',
          subjectType: 'adoption',
          subjectId: adoption.id,
          organisationId: organisation.id,
          before: adoptionSnapshot(existing),
          after: adoptionSnapshot(adoption),
        });
        return adoption;
      });
    },

    /**
     * Emails the contact of every declaration that is about to become, or has become, unconfirmed, at most once every
     * 30 days. A scheduler runs this daily (`commons remind adoptions`). Returns how many contacts were reminded.
     */
    async remindAdoptionContacts(): Promise<{ reminded: number }> {
      const now = clock();
      const [adoptions, components] = await Promise.all([catalogueRepository.listAllAdoptions(), catalogueRepository.listComponentNames()]);
      const due = adoptions.filter(
        (adoption) =>
          adoption.status !== 'retired' &&
          addMonths(adoption.confirmed_at, REMINDER_AFTER_MONTHS) <= now &&
          (adoption.reminded_at === null ||
            adoption.reminded_at < adoption.confirmed_at ||
            adoption.reminded_at.getTime() + REMINDER_INTERVAL_DAYS * 86_400_000 <= now.getTime()),
      );
      const organisations = new Map(
        (await catalogueRepository.listOrganisationsByIds([...new Set(due.map((adoption) => adoption.organisation_id))])).map((row) => [
          row.id,
          row,
        ]),
      );
      for (const adoption of due) {
        const component = components.find((candidate) => candidate.id === adoption.component_id);
        const organisation = organisations.get(adoption.organisation_id);
        if (!component || !organisation) continue;
        const lapses = addMonths(adoption.confirmed_at, FRESHNESS_MONTHS);
        const lapsed = lapses <= now;
        // Sent first: if recording fails, the contact may hear twice, but never not at all.
        await mailer.send({
          to: adoption.contact_email,
          subject: `Is ${organisation.name} still ${ADOPTION_LABELS[adoption.status].toLowerCase()} ${component.name}?`,
          text: [
            `Hello ${adoption.contact_name},`,
            '',
            `${organisation.name} declared on Local Digital Commons that it is ${ADOPTION_LABELS[adoption.status].toLowerCase()} ${component.name} (since ${adoption.since}).`,
            `It was last confirmed on ${isoDate(adoption.confirmed_at)}. ${
              lapsed
                ? 'It is now shown as unconfirmed and no longer counts towards the number of councils using it.'
                : `Unless someone confirms it, it will stop counting on ${isoDate(lapses)}.`
            }`,
            '',
            `Confirm or update it here (sign in first): ${publicBaseUrl}/components/${component.slug}/adoption`,
            '',
            'You get this email because you agreed to be the contact for this declaration.',
          ].join('\n'),
        });
        await transaction(async (repository, trx) => {
          const updated = await repository.updateAdoption(adoption.id, { reminded_at: now });
          await audit(trx, null, {
            action: 'adoption.reminded',
            subjectType: 'adoption',
            subjectId: adoption.id,
            organisationId: adoption.organisation_id,
            before: { remindedAt: adoption.reminded_at },
            after: { remindedAt: updated.reminded_at, contact: adoption.contact_email },
          });
        });
      }
      return { reminded: due.length };
    },
  };
}
