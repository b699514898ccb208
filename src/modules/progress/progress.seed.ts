/** Demo content: seven regional centres covering England's regions, each labelled as demo, with member councils by region. */
import type { OrganisationsService } from '../organisations/index.js';
import type { ProgressRepository } from './progress.repository.js';

export const DEMO_CENTRES = [
  { name: 'North East and Yorkshire Centre of Service Innovation (demo)', regions: ['North East', 'Yorkshire and The Humber'] },
  { name: 'North West Centre of Service Innovation (demo)', regions: ['North West'] },
  { name: 'Midlands Centre of Service Innovation (demo)', regions: ['East Midlands', 'West Midlands'] },
  { name: 'East of England Centre of Service Innovation (demo)', regions: ['East of England'] },
  { name: 'London Centre of Service Innovation (demo)', regions: ['London'] },
  { name: 'South East Centre of Service Innovation (demo)', regions: ['South East'] },
  { name: 'South West Centre of Service Innovation (demo)', regions: ['South West'] },
] as const;

/** Adds the demo centres and makes every current English principal council a member of its region's centre. Safe to run again. */
export async function seedRegionalCentresDemo({
  organisationsService,
  progressRepository,
  openedOn = '2025-04-01',
}: {
  organisationsService: OrganisationsService;
  progressRepository: ProgressRepository;
  openedOn?: string;
}): Promise<{ centres: number; members: number }> {
  const councils = await organisationsService.listCurrentPrincipalCouncils('England');
  let members = 0;
  for (const centre of DEMO_CENTRES) {
    await organisationsService.addOrganisation({
      kind: 'regional-centre',
      name: centre.name,
      nation: 'England',
      region: centre.regions[0],
    });
    const { items } = await organisationsService.listOrganisations({ kind: 'regional-centre', q: centre.name, page: 1, pageSize: 5 });
    const organisation = items.find((item) => item.name === centre.name);
    if (!organisation) throw new Error(`The demo centre ${centre.name} was not added`);
    await progressRepository.upsertCentreProfile({
      organisation_id: organisation.id,
      regions: [...centre.regions],
      opened_on: openedOn,
      demo: true,
      summary: `A demonstration centre for ${centre.regions.join(' and ')}: it brings the region’s councils together on shared challenges, components and standards.`,
    });
    const memberIds = councils
      .filter((council) => council.region !== null && (centre.regions as readonly string[]).includes(council.region))
      .map((c) => c.id);
    await organisationsService.assignCouncilsToCentre(organisation.id, memberIds);
    members += memberIds.length;
  }
  return { centres: DEMO_CENTRES.length, members };
}
