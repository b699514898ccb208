import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { councilRegisterFile } from '../../app/paths.js';
import { organisationSlug, parseCouncilRegister, RegisterFormatError } from './organisations.register.js';

const header =
  'local-authority-code,official-name,nice-name,gss-code,start-date,end-date,replaced-by,nation,region,local-authority-type,local-authority-type-name,county-la,combined-authority,alt-names,former-gss-codes,pop-2020';

describe('reading the council register', () => {
  const rows = parseCouncilRegister(fs.readFileSync(councilRegisterFile, 'utf8'));

  it('reads every row of the real register', () => {
    expect(rows).toHaveLength(470);
    expect(new Set(rows.map((row) => row.registry_code)).size).toBe(470);
  });

  it('classifies principal councils, combined authorities and the GLA', () => {
    const byKind = (kind: string) => rows.filter((row) => row.kind === kind).length;
    expect(byKind('combined-authority')).toBe(14);
    expect(byKind('strategic-authority')).toBe(1);
    expect(byKind('principal')).toBe(455);
  });

  it('keeps end dates and successors of abolished councils', () => {
    const allerdale = rows.find((row) => row.name === 'Allerdale');
    expect(allerdale).toMatchObject({ gss_code: 'E07000026', end_date: '2023-04-01', successor_codes: ['CBD'], kind: 'principal' });
  });

  it('splits successor lists where a county became two unitaries', () => {
    const cumbria = rows.find((row) => row.registry_code === 'CMA');
    expect(cumbria?.successor_codes).toEqual(['CBD', 'WAF']);
  });

  it('names the file, row and column of a bad date', () => {
    const csv = `${header}\nXYZ,Test Council,Test,E99999999,01/04/1974,,,England,South East,NMD,Non-metropolitan district,,,,,100\n`;
    expect(() => parseCouncilRegister(csv, 'register.csv')).toThrow(
      new RegisterFormatError('register.csv, row 2, column start-date: "01/04/1974" is not a YYYY-MM-DD date'),
    );
  });

  it('refuses a file without the register columns', () => {
    expect(() => parseCouncilRegister('name,code\nOxford,OXO\n', 'wrong.csv')).toThrow(/wrong.csv: missing columns local-authority-code/);
  });

  it('makes URL-safe slugs', () => {
    expect(organisationSlug('Armagh City, Banbridge & Craigavon')).toBe('armagh-city-banbridge-and-craigavon');
    expect(organisationSlug('Ynys Môn')).toBe('ynys-mon');
  });
});
