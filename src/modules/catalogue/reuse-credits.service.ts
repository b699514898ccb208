import { NotFoundError } from '../../platform/errors.js';
import { type CatalogueCore, type CatalogueDependencies, createCatalogueCore } from './catalogue.core.js';
import { FRESHNESS_MONTHS, REUSE_CREDIT_RULES, type CreditKey } from './catalogue.labels.js';
import { addMonths } from './catalogue.records.js';
import type { ReuseCredits } from './catalogue.types.js';

/** Reuse credits: points an organisation earns for publishing, using, vouching for and confirming components. */
export function createReuseCreditsService(deps: CatalogueDependencies, core: CatalogueCore = createCatalogueCore(deps)) {
  const { catalogueRepository, clock } = deps;
  const { freshnessOf } = core;

  /** Reuse credits of every organisation that has earned any, highest first. */
  async function listReuseCredits(): Promise<ReuseCredits[]> {
    const now = clock();
    const [adoptions, published, confirmations, components] = await Promise.all([
      catalogueRepository.listAllAdoptions(),
      catalogueRepository.listPublishedComponents(),
      catalogueRepository.countConfirmationsSince(addMonths(now, -FRESHNESS_MONTHS)),
      catalogueRepository.listComponentNames(),
    ]);
    const ids = new Set<number>([
      ...adoptions.map((adoption) => adoption.organisation_id),
      ...published.flatMap((row) => (row.publisher_organisation_id === null ? [] : [row.publisher_organisation_id])),
      ...confirmations.keys(),
    ]);
    const organisations = await catalogueRepository.listOrganisationsByIds([...ids]);
    const componentById = new Map(components.map((row) => [row.id, row]));
    const credits = organisations.map((organisation): ReuseCredits => {
      const own = adoptions.filter((adoption) => adoption.organisation_id === organisation.id);
      const counted = own.filter((adoption) => {
        const freshness = freshnessOf(adoption, now);
        return freshness === 'using' || freshness === 'piloting';
      });
      const mine = published.filter((row) => row.publisher_organisation_id === organisation.id);
      const counts: Record<CreditKey, number> = {
        published: mine.length,
        using: counted.filter((adoption) => adoption.status === 'using').length,
        piloting: counted.filter((adoption) => adoption.status === 'piloting').length,
        referent: own.filter(
          (adoption) => adoption.contact_agrees && freshnessOf(adoption, now) !== 'unconfirmed' && adoption.status !== 'retired',
        ).length,
        confirmed: confirmations.get(organisation.id) ?? 0,
      };
      return {
        organisation: { id: organisation.id, name: organisation.name, slug: organisation.slug, gssCode: organisation.gss_code },
        counts,
        total: REUSE_CREDIT_RULES.reduce((sum, rule) => sum + rule.points * counts[rule.key], 0),
        published: mine.map((row) => ({ slug: row.slug, name: row.name })),
        adopted: own.flatMap((adoption) => {
          const component = componentById.get(adoption.component_id);
          return component
            ? [{ slug: component.slug, name: component.name, status: adoption.status, referent: adoption.contact_agrees }]
            : [];
        }),
      };
    });
    return credits
      .filter((credit) => credit.total > 0)
      .sort((a, b) => b.total - a.total || a.organisation.name.localeCompare(b.organisation.name));
  }

  return {
    listReuseCredits,

    /** One organisation's reuse credits (zero when it has earned none). */
    async getReuseCredits(code: string): Promise<ReuseCredits> {
      const organisation = await catalogueRepository.findOrganisation(code);
      if (!organisation) throw new NotFoundError(`No organisation has the code ${code}`);
      const found = (await listReuseCredits()).find((credit) => credit.organisation.id === organisation.id);
      return (
        found ?? {
          organisation: { id: organisation.id, name: organisation.name, slug: organisation.slug, gssCode: organisation.gss_code },
          counts: { published: 0, using: 0, piloting: 0, referent: 0, confirmed: 0 },
          total: 0,
          published: [],
          adopted: [],
        }
      );
    },
  };
}
