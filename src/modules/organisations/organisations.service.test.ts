import { expect, it } from 'vitest';
import { moduleDatabase } from '../../app/database-schema.js';
import { describeEachEngine } from '../../../test/support/engines.js';
import { fixedClock } from '../../../test/support/test-app.js';
import { createOrganisationsRepository } from './organisations.repository.js';
import { createOrganisationsService, type OrganisationsService } from './organisations.service.js';

describeEachEngine('the register of organisations', ({ database }) => {
  const service = (): OrganisationsService =>
    createOrganisationsService({
      organisationsRepository: createOrganisationsRepository(moduleDatabase(database().db)),
      clock: fixedClock,
    });

  it('counts the current principal councils of each nation', async () => {
    const counts = await Promise.all(
      ['England', 'Scotland', 'Wales', 'Northern Ireland'].map(
        async (nation) => (await service().listCurrentPrincipalCouncils(nation)).length,
      ),
    );
    expect(counts).toEqual([317, 32, 22, 11]);
  });

  it('counts councils as they were on an earlier date, before the 2023 reorganisations', async () => {
    const councils = await service().listCurrentPrincipalCouncils('England', '2020-01-01');
    expect(councils).toHaveLength(343);
    expect(councils.map((council) => council.name)).toContain('Allerdale');
    expect(councils.map((council) => council.name)).not.toContain('Cumberland');
  });

  it('gives the same total through the filtered list as the denominator', async () => {
    const list = await service().listOrganisations({ nation: 'England', kind: 'principal', status: 'current', page: 1, pageSize: 10 });
    expect(list.total).toBe(317);
    expect(list.items).toHaveLength(10);
    const lastPage = await service().listOrganisations({ nation: 'England', kind: 'principal', status: 'current', page: 32, pageSize: 10 });
    expect(lastPage.items).toHaveLength(7);
  });

  it('shows a former council as former, with its successor', async () => {
    const allerdale = await service().getOrganisation('E07000026');
    expect(allerdale.current).toBe(false);
    expect(allerdale.successors).toEqual([expect.objectContaining({ name: 'Cumberland', gssCode: 'E06000063', current: true })]);
    expect(allerdale.county).toEqual(expect.objectContaining({ name: 'Cumbria', current: false }));
    const cumberland = await service().getOrganisation('E06000063');
    expect(cumberland.predecessors.map((predecessor) => predecessor.name)).toEqual(
      expect.arrayContaining(['Allerdale', 'Copeland', 'Carlisle', 'Cumbria']),
    );
  });

  it('finds organisations by any of their names, or by GSS code', async () => {
    const byAlternative = await service().listOrganisations({ q: 'ynys mon', page: 1, pageSize: 5 });
    expect(byAlternative.items.map((item) => item.name)).toContain('Isle of Anglesey');
    const byCode = await service().listOrganisations({ q: 'e07000178', page: 1, pageSize: 5 });
    expect(byCode.items.map((item) => item.name)).toEqual(['Oxford']);
    const byOfficialName = await service().listOrganisations({ q: 'Oxford City Council', page: 1, pageSize: 5 });
    expect(byOfficialName.items.map((item) => item.name)).toContain('Oxford');
  });

  it('lists former councils only when asked', async () => {
    const former = await service().listOrganisations({ nation: 'England', status: 'former', page: 1, pageSize: 100 });
    expect(former.items.every((item) => !item.current)).toBe(true);
    expect(former.items.map((item) => item.name)).toContain('Allerdale');
    expect(former.total).toBe(48);
  });

  it('refuses an unknown code with a not-found error', async () => {
    await expect(service().getOrganisation('E99999999')).rejects.toThrow('No organisation has the code E99999999');
  });

  it('keeps room for organisations that are not councils', async () => {
    await service().addOrganisation({
      kind: 'regional-centre',
      name: 'Test Centre of Service Innovation',
      region: 'North East',
      nation: 'England',
    });
    const centre = await service().getOrganisation('test-centre-of-service-innovation');
    expect(centre).toMatchObject({ kind: 'regional-centre', gssCode: null, region: 'North East', current: true });
    const councils = await service().listCurrentPrincipalCouncils('England');
    expect(councils).toHaveLength(317);
  });
});
