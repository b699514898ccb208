import type { Actor } from '../../platform/actor.js';
import { type Clock, isoDate } from '../../platform/clock.js';
import { InputError, NotAllowedError, NotFoundError } from '../../platform/errors.js';
import { presentOrganisation } from './organisations.presenters.js';
import type { OrganisationsRepository } from './organisations.repository.js';
import type { Organisation, OrganisationDetail } from './organisations.service.js';

/** The regional centres of service innovation and their member councils. */
export function createRegionalCentresService({
  organisationsRepository,
  clock,
  getOrganisation,
}: {
  organisationsRepository: OrganisationsRepository;
  clock: Clock;
  getOrganisation: (code: string) => Promise<OrganisationDetail>;
}) {
  const today = () => isoDate(clock());

  /** The regional centres of service innovation, each with the ids of its member councils. */
  async function listRegionalCentres(): Promise<(Organisation & { memberIds: number[] })[]> {
    const [{ rows }, members] = await Promise.all([
      organisationsRepository.listOrganisations({ kind: 'regional-centre', onDate: today() }, { offset: 0, limit: 1000 }),
      organisationsRepository.listCentreMembers(),
    ]);
    return rows.map((row) => ({
      ...presentOrganisation(row, today()),
      memberIds: members.filter((member) => member.centre_id === row.id).map((member) => member.council_id),
    }));
  }

  return {
    listRegionalCentres,

    /** Makes councils (by id) members of a regional centre; a council in another centre moves. */
    async assignCouncilsToCentre(centreId: number, councilIds: readonly number[]): Promise<void> {
      const [centre] = await organisationsRepository.listOrganisationsByIds([centreId]);
      if (centre?.kind !== 'regional-centre') throw new NotFoundError('No regional centre has this id');
      await organisationsRepository.assignCentreMembers(centreId, councilIds, today());
    },

    /**
     * Moves a council into a regional centre, out of the one it was in (a council belongs to at most one), or out of
     * every centre (`centreSlug` null). Only the institute's platform admins may. Says where it was (null: unchanged) and where it is.
     */
    async moveCouncilToCentre(
      actor: Actor,
      { councilCode, centreSlug, onlyFrom }: { councilCode: string; centreSlug: string | null; onlyFrom?: string },
    ) {
      if (actor.role !== 'platform-admin')
        throw new NotAllowedError('Only the institute’s platform admins can change which councils belong to a regional centre');
      let council;
      try {
        council = await getOrganisation(councilCode);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        throw new InputError('Choose a council from the list', [{ field: 'council', message: 'Choose a council from the list' }]);
      }
      if (council.kind !== 'principal' || !council.current)
        throw new InputError(`${council.name} is not a current principal council`, [
          { field: 'council', message: `${council.name} is not a current principal council; only councils belong to regional centres` },
        ]);
      const centres = await listRegionalCentres();
      const to = centreSlug === null ? null : centres.find((centre) => centre.slug === centreSlug);
      if (to === undefined) throw new NotFoundError(`No regional centre has the address ${centreSlug ?? ''}`);
      const from = centres.find((centre) => centre.memberIds.includes(council.id)) ?? null;
      // `onlyFrom`: change nothing unless the council is in that centre (taking it out of one centre never moves it out of another).
      if (onlyFrom !== undefined && from?.slug !== onlyFrom) return { council, from: null, to: from };
      if (from?.id !== to?.id)
        await organisationsRepository.setCentreMembership(council.id, to?.id ?? null, today(), {
          actor,
          event: {
            action: 'regional-centre.membership-changed',
            subjectType: 'organisation',
            subjectId: council.id,
            organisationId: council.id,
            before: { centre: from?.slug ?? null },
            after: { centre: to?.slug ?? null },
          },
        });
      return { council, from, to };
    },
  };
}
