import { describe, expect, it } from 'vitest';
import { readableName } from './readable-name.js';

describe('readable names for names published in capitals', () => {
  it.each([
    ['ACME BUILDING SERVICES LTD', 'Acme Building Services LTD'],
    ['BRITISH TELECOMMUNICATIONS PLC', 'British Telecommunications PLC'],
    ['NHS SHARED BUSINESS SERVICES', 'NHS Shared Business Services'],
    ["O'BRIEN & SONS (UK) LTD", "O'Brien & Sons (UK) LTD"],
    ['KPMG LLP', 'KPMG LLP'],
    ["MCDONALD'S RESTAURANTS LIMITED", "McDonald's Restaurants Limited"],
    ['SMITH-JONES PARTNERSHIP', 'Smith-Jones Partnership'],
    ['THE COUNCIL OF THE ISLES OF SCILLY', 'The Council of the Isles of Scilly'],
    ['3M UNITED KINGDOM PLC', '3M United Kingdom PLC'],
    ['DHL SUPPLY CHAIN', 'DHL Supply Chain'],
    ['EE LIMITED', 'EE Limited'],
    ['MR J SMITH T/A SMITHS PLUMBING', 'Mr J Smith T/A Smiths Plumbing'],
    ['ST MARY’S HOSPICE CIC', 'St Mary’s Hospice CIC'],
    ['GO AHEAD LONDON', 'Go Ahead London'],
  ])('writes %s as %s', (published, readable) => {
    expect(readableName(published)).toBe(readable);
  });

  it('keeps a name with any lower-case letter exactly as it was published', () => {
    expect(readableName('Acme building services LTD')).toBe('Acme building services LTD');
    expect(readableName('iESE Ltd')).toBe('iESE Ltd');
  });

  it('leaves text with fewer than two capitals, or none, alone', () => {
    expect(readableName('X')).toBe('X');
    expect(readableName('1234')).toBe('1234');
    expect(readableName('')).toBe('');
  });
});
