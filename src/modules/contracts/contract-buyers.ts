/** Contracts' buyers as organisations of the register, by name. */
import type { Organisation, OrganisationsService } from '../organisations/index.js';

/** A buyer's name as it is compared: lower case, words only, without "the". */
export function normaliseBuyer(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\b(the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every organisation of the register by id, and by each of its names (normalised). */
export async function organisationIndex(organisationsService: Pick<OrganisationsService, 'listOrganisations'>) {
  const { items } = await organisationsService.listOrganisations({ page: 1, pageSize: 100_000 });
  const byName = new Map<string, Organisation>();
  // Current organisations win a shared name: a buyer today is today's council.
  for (const item of [...items].sort((a, b) => Number(a.current) - Number(b.current))) {
    for (const name of [item.name, item.officialName, ...item.alternativeNames]) byName.set(normaliseBuyer(name), item);
  }
  return { byName, byId: new Map(items.map((item) => [item.id, item])) };
}
