import {
  type DraftReader,
  type JsonObject,
  isObject,
  optionalText,
  requiredText,
  optionalArray,
  optionalObject,
  textItem,
  positionalId,
  tidyText,
  fail,
} from './ocds-json-access.js';
import type { ContractDraft, ContractSupplier, OcdsReleaseSummary, OrganisationIdentifier } from './ocds-types.js';

/**
 * Contract drafts from one OCDS release that has already passed the schema: a draft per contract, per award not yet
 * signed as a contract, or (before any award) one from the tender. Problems the schema cannot see (an amount too large
 * to store in pence) are reported through the reader, by JSON path. Typed access to the untyped JSON is in
 * ocds-json-access.ts.
 */

/** The largest amount kept: pence must stay exact integers in JavaScript and in a bigint column. */
const LARGEST_PENCE = Number.MAX_SAFE_INTEGER;

interface ReleaseContext {
  ocid: string;
  releaseId: string | null;
  releaseDate: string | null;
  buyerName: string | null;
  buyerIdentifier: OrganisationIdentifier | null;
  parties: Map<string, JsonObject>;
  tender: JsonObject | null;
  tenderPath: string;
  packageUri: string | null;
}

/** Drafts from one release (a JSON object at `path`), or null when the release has a problem drafting found. */
export function draftRelease(
  reader: DraftReader,
  release: unknown,
  path: string,
  packageUri: string | null,
): { summary: OcdsReleaseSummary; contracts: ContractDraft[] } | null {
  if (!isObject(release)) {
    fail(reader, path, 'must be an OCDS release (a JSON object)');
    return null;
  }
  const errorsBefore = reader.errorCount();
  const ocid = requiredText(reader, release, 'ocid', path);
  const releaseId = optionalText(reader, release, 'id', path);
  const releaseDate = optionalText(reader, release, 'date', path);
  const tags = optionalArray(reader, release, 'tag', path).flatMap((tag, index) => textItem(reader, tag, `${path}.tag[${index}]`));
  const parties = readParties(reader, release, path);
  const buyer = optionalObject(reader, release, 'buyer', path);
  const buyerParty = buyer === null ? undefined : parties.get(optionalText(reader, buyer, 'id', `${path}.buyer`) ?? '');
  const buyerName =
    (buyer === null ? null : optionalText(reader, buyer, 'name', `${path}.buyer`)) ??
    (buyerParty === undefined ? null : optionalText(reader, buyerParty, 'name', `${path}.parties`)) ??
    nameOfPartyWithRole(parties, 'buyer');
  const buyerIdentifier =
    completeIdentifier(reader, buyer, `${path}.buyer`) ?? completeIdentifier(reader, buyerParty ?? null, `${path}.parties`);
  const tenderPath = `${path}.tender`;
  const tender = optionalObject(reader, release, 'tender', path);
  const awards = optionalArray(reader, release, 'awards', path);
  const contracts = optionalArray(reader, release, 'contracts', path);
  if (ocid === null) return null;

  const context: ReleaseContext = { ocid, releaseId, releaseDate, buyerName, buyerIdentifier, parties, tender, tenderPath, packageUri };
  const drafts = draftsForRelease(reader, context, path, awards, contracts);
  if (reader.errorCount() > errorsBefore) return null;
  return {
    summary: {
      ocid,
      releaseId,
      date: releaseDate,
      tags,
      buyerName,
      title: tender === null ? null : tidyText(optionalText(reader, tender, 'title', tenderPath)),
      awardCount: awards.length,
      contractCount: contracts.length,
      path,
    },
    contracts: drafts,
  };
}

/** One draft per contract; awards not yet signed as contracts get one each; a release with neither is drafted from its tender. */
function draftsForRelease(
  reader: DraftReader,
  context: ReleaseContext,
  path: string,
  awards: unknown[],
  contracts: unknown[],
): ContractDraft[] {
  const awardsById = new Map<string, { award: JsonObject; path: string }>();
  const drafts: ContractDraft[] = [];
  awards.forEach((award, index) => {
    const awardPath = `${path}.awards[${index}]`;
    if (!isObject(award)) return fail(reader, awardPath, 'must be an award (a JSON object)');
    const id = optionalText(reader, award, 'id', awardPath);
    if (id !== null) awardsById.set(id, { award, path: awardPath });
  });

  const awardsWithContracts = new Set<string>();
  contracts.forEach((contract, index) => {
    const contractPath = `${path}.contracts[${index}]`;
    if (!isObject(contract)) return fail(reader, contractPath, 'must be a contract (a JSON object)');
    const contractId = optionalText(reader, contract, 'id', contractPath) ?? positionalId(reader, contractPath, index);
    const awardId = optionalText(reader, contract, 'awardID', contractPath);
    const linked = awardId === null ? undefined : awardsById.get(awardId);
    if (awardId !== null) awardsWithContracts.add(awardId);
    drafts.push(
      buildDraft(reader, context, {
        source: 'contract',
        identity: `contract/${contractId}`,
        awardId,
        contractId,
        layers: [
          { object: contract, path: contractPath, periodKey: 'period' },
          ...(linked === undefined ? [] : [{ object: linked.award, path: linked.path, periodKey: 'contractPeriod' }]),
        ],
      }),
    );
  });

  awards.forEach((award, index) => {
    const awardPath = `${path}.awards[${index}]`;
    if (!isObject(award)) return;
    const awardId = optionalText(reader, award, 'id', awardPath);
    if (awardId !== null && awardsWithContracts.has(awardId)) return;
    const identityId = awardId ?? positionalId(reader, awardPath, index);
    drafts.push(
      buildDraft(reader, context, {
        source: 'award',
        identity: `award/${identityId}`,
        awardId,
        contractId: null,
        layers: [{ object: award, path: awardPath, periodKey: 'contractPeriod' }],
      }),
    );
  });

  if (drafts.length === 0 && context.tender !== null) {
    drafts.push(buildDraft(reader, context, { source: 'tender', identity: 'tender', awardId: null, contractId: null, layers: [] }));
  }
  return drafts;
}

/** A contract, then the award it came from: the first layer that states a field wins, and the tender fills what neither states. */
interface DraftLayer {
  object: JsonObject;
  path: string;
  periodKey: string;
}

interface DraftPlan {
  source: ContractDraft['source'];
  identity: string;
  awardId: string | null;
  contractId: string | null;
  layers: DraftLayer[];
}

function buildDraft(reader: DraftReader, context: ReleaseContext, plan: DraftPlan): ContractDraft {
  const layers: DraftLayer[] = [...plan.layers];
  if (context.tender !== null) layers.push({ object: context.tender, path: context.tenderPath, periodKey: 'contractPeriod' });

  const firstText = (key: string): string | null => {
    for (const layer of layers) {
      const value = tidyText(optionalText(reader, layer.object, key, layer.path));
      if (value !== null) return value;
    }
    return null;
  };

  let valuePence: number | null = null;
  let currency: string | null = null;
  for (const layer of layers) {
    const value = readValue(reader, layer.object, 'value', layer.path);
    currency ??= value.currency;
    if (value.pence !== null) {
      valuePence = value.pence;
      currency = value.currency ?? currency;
      break;
    }
  }
  const minimum = context.tender === null ? null : readValue(reader, context.tender, 'minValue', context.tenderPath);
  const period = readPeriod(reader, layers, context);

  return {
    identityKey: `${context.ocid}/${plan.identity}`,
    source: plan.source,
    ocid: context.ocid,
    releaseId: context.releaseId,
    releaseDate: context.releaseDate,
    awardId: plan.awardId,
    contractId: plan.contractId,
    title: firstText('title'),
    description: firstText('description'),
    buyerName: context.buyerName,
    buyerIdentifier: context.buyerIdentifier,
    suppliers: plan.source === 'tender' ? [] : readSuppliers(reader, layers, context),
    valuePence,
    minimumValuePence: minimum?.pence ?? null,
    currency: currency ?? minimum?.currency ?? null,
    startDate: period.startDate,
    endDate: period.endDate,
    status: firstText('status'),
    sourceUrl: context.packageUri ?? firstDocumentUrl(reader, layers),
    cpvCodes: readCpvCodes(reader, layers),
  };
}

function readValue(reader: DraftReader, object: JsonObject, key: string, path: string): { pence: number | null; currency: string | null } {
  const value = optionalObject(reader, object, key, path);
  if (value === null) return { pence: null, currency: null };
  const valuePath = `${path}.${key}`;
  const amount = value.amount;
  const currency = optionalText(reader, value, 'currency', valuePath);
  if (amount === undefined || amount === null) return { pence: null, currency };
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    fail(reader, `${valuePath}.amount`, `must be a number, not ${JSON.stringify(amount)}`);
    return { pence: null, currency };
  }
  // Whole pence keep sums exact; OCDS amounts are in the currency's major unit.
  const pence = Math.round(amount * 100);
  if (!Number.isSafeInteger(pence) || Math.abs(pence) > LARGEST_PENCE) {
    fail(reader, `${valuePath}.amount`, 'is too large to store: amounts up to 90 trillion are kept exactly');
    return { pence: null, currency };
  }
  return { pence: pence === 0 ? 0 : pence, currency };
}

/** Contract dates: the contract's period, the award's or tender's contractPeriod, then the tender's "Contract start/end" milestones. */
function readPeriod(
  reader: DraftReader,
  layers: DraftLayer[],
  context: ReleaseContext,
): { startDate: string | null; endDate: string | null } {
  let startDate: string | null = null;
  let endDate: string | null = null;
  for (const layer of layers) {
    const period = optionalObject(reader, layer.object, layer.periodKey, layer.path);
    if (period === null) continue;
    const periodPath = `${layer.path}.${layer.periodKey}`;
    startDate ??= tidyText(optionalText(reader, period, 'startDate', periodPath));
    endDate ??= tidyText(optionalText(reader, period, 'endDate', periodPath));
  }
  if (context.tender !== null) {
    optionalArray(reader, context.tender, 'milestones', context.tenderPath).forEach((milestone, index) => {
      if (!isObject(milestone)) return;
      const milestonePath = `${context.tenderPath}.milestones[${index}]`;
      const title = optionalText(reader, milestone, 'title', milestonePath) ?? '';
      const dueDate = tidyText(optionalText(reader, milestone, 'dueDate', milestonePath));
      if (dueDate === null) return;
      if (/contract start/i.test(title)) startDate ??= dueDate;
      if (/contract end/i.test(title)) endDate ??= dueDate;
    });
  }
  return { startDate, endDate };
}

function readSuppliers(reader: DraftReader, layers: DraftLayer[], context: ReleaseContext): ContractSupplier[] {
  for (const layer of layers) {
    // Contracts name no suppliers in OCDS; they come from the award (the tender has none either).
    const suppliers = optionalArray(reader, layer.object, 'suppliers', layer.path);
    if (suppliers.length === 0) continue;
    return suppliers.flatMap((supplier, index) => {
      const supplierPath = `${layer.path}.suppliers[${index}]`;
      if (!isObject(supplier)) {
        fail(reader, supplierPath, 'must be an organisation (a JSON object)');
        return [];
      }
      const party = context.parties.get(optionalText(reader, supplier, 'id', supplierPath) ?? '');
      const name =
        tidyText(optionalText(reader, supplier, 'name', supplierPath)) ??
        (party === undefined ? null : tidyText(optionalText(reader, party, 'name', supplierPath)));
      const identifier =
        supplierIdentifier(reader, supplier, supplierPath) ??
        (party === undefined ? null : supplierIdentifier(reader, party, supplierPath));
      const scale =
        supplierScale(reader, supplier, supplierPath) ??
        (party === undefined ? null : supplierScale(reader, party, partyPaths.get(party) ?? supplierPath));
      return [{ name, scheme: identifier?.scheme ?? null, id: identifier?.id ?? null, scale }];
    });
  }
  return [];
}

const PARTY_SCALES = ['micro', 'sme', 'large', 'selfEmployed'] as const;

/** The organisation's size from `details.scale` (OCDS partyScale), or null; another value is warned about and left out. */
function supplierScale(reader: DraftReader, organisation: JsonObject, path: string): ContractSupplier['scale'] {
  const details = optionalObject(reader, organisation, 'details', path);
  if (details === null) return null;
  const scale = optionalText(reader, details, 'scale', `${path}.details`);
  if (scale === null) return null;
  const known = PARTY_SCALES.find((code) => code === scale);
  if (known === undefined)
    reader.warn(`${path}.details.scale`, `is not a supplier size OCDS knows (${PARTY_SCALES.join(', ')}), so it is left out`);
  return known ?? null;
}

/** The main identifier, or a Companies House number among the additional ones; empty strings count as absent. */
function supplierIdentifier(
  reader: DraftReader,
  organisation: JsonObject,
  path: string,
): { scheme: string | null; id: string | null } | null {
  const main = identifierParts(reader, organisation.identifier, `${path}.identifier`);
  if (main.id !== null) return main;
  const additional = optionalArray(reader, organisation, 'additionalIdentifiers', path);
  for (const [index, candidate] of additional.entries()) {
    const parts = identifierParts(reader, candidate, `${path}.additionalIdentifiers[${index}]`);
    if (parts.id !== null && parts.scheme === 'GB-COH') return parts;
  }
  return main.scheme === null ? null : main;
}

function completeIdentifier(reader: DraftReader, organisation: JsonObject | null, path: string): OrganisationIdentifier | null {
  if (organisation === null) return null;
  const parts = identifierParts(reader, organisation.identifier, `${path}.identifier`);
  return parts.scheme !== null && parts.id !== null ? { scheme: parts.scheme, id: parts.id } : null;
}

function identifierParts(reader: DraftReader, identifier: unknown, path: string): { scheme: string | null; id: string | null } {
  if (identifier === undefined || identifier === null) return { scheme: null, id: null };
  if (!isObject(identifier)) {
    fail(reader, path, 'must be an identifier object with "scheme" and "id"');
    return { scheme: null, id: null };
  }
  return { scheme: tidyText(optionalText(reader, identifier, 'scheme', path)), id: tidyText(optionalText(reader, identifier, 'id', path)) };
}

/** Where each party was read, so what is said of it names its own path. */
const partyPaths = new WeakMap<JsonObject, string>();

function readParties(reader: DraftReader, release: JsonObject, path: string): Map<string, JsonObject> {
  const parties = new Map<string, JsonObject>();
  optionalArray(reader, release, 'parties', path).forEach((party, index) => {
    const partyPath = `${path}.parties[${index}]`;
    if (!isObject(party)) return fail(reader, partyPath, 'must be an organisation (a JSON object)');
    partyPaths.set(party, partyPath);
    const id = optionalText(reader, party, 'id', partyPath);
    if (id !== null) parties.set(id, party);
  });
  return parties;
}

function nameOfPartyWithRole(parties: Map<string, JsonObject>, role: string): string | null {
  for (const party of parties.values()) {
    if (Array.isArray(party.roles) && party.roles.includes(role) && typeof party.name === 'string') return tidyText(party.name);
  }
  return null;
}

function readCpvCodes(reader: DraftReader, layers: DraftLayer[]): string[] {
  const codes = new Set<string>();
  for (const layer of layers) {
    optionalArray(reader, layer.object, 'items', layer.path).forEach((item, index) => {
      const itemPath = `${layer.path}.items[${index}]`;
      if (!isObject(item)) return fail(reader, itemPath, 'must be an item (a JSON object)');
      const classifications = [item.classification, ...optionalArray(reader, item, 'additionalClassifications', itemPath)];
      for (const classification of classifications) {
        if (!isObject(classification)) continue;
        const parts = identifierParts(reader, classification, `${itemPath}.classification`);
        if (parts.id !== null && parts.scheme?.toUpperCase() === 'CPV') codes.add(parts.id);
      }
    });
  }
  return [...codes];
}

function firstDocumentUrl(reader: DraftReader, layers: DraftLayer[]): string | null {
  for (const layer of layers) {
    for (const [index, document] of optionalArray(reader, layer.object, 'documents', layer.path).entries()) {
      if (!isObject(document)) continue;
      const url = tidyText(optionalText(reader, document, 'url', `${layer.path}.documents[${index}]`));
      if (url !== null) return url;
    }
  }
  return null;
}
