/** Importing OCDS files into the contract register: text, a file on disk, or an upload. */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { Actor } from '../../platform/actor.js';
import { recordAuditEvent } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError } from '../../platform/errors.js';
import type { OrganisationsService } from '../organisations/index.js';
import { contractsPolicy } from './contracts.policy.js';
import { createContractWriter, supplierKey } from './contracts.writer.js';
import { normaliseBuyer, organisationIndex } from './contract-buyers.js';
import { type ContractDraft, describeIssue, readOcds, textChunks } from './ocds/index.js';
import type { ContractsRepository } from './contracts.repository.js';
import type { OcdsImportOutcome, SupplierMatcher } from './contracts.service.js';

/** What importing contracts needs. */
export interface ContractImportDependencies {
  repository: ContractsRepository;
  organisationsService: Pick<OrganisationsService, 'listOrganisations'>;
  matchSuppliers: SupplierMatcher;
  clock: Clock;
}

/** Feeds every chunk to a hash on its way through. */
async function* hashing(chunks: AsyncIterable<string>, hash: Hash): AsyncIterable<string> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Imports one OCDS file in two readings. The first checks it against the standard (no database involved) and
 * gathers its suppliers; a file with any error is refused with the JSON paths of each problem and nothing is
 * written. The second reads it again and writes every contract, added or updated by its identity key, in one
 * transaction with one audit event, a few hundred at a time.
 */
async function importOcdsSource(
  { repository, organisationsService, matchSuppliers, clock }: ContractImportDependencies,
  input: {
    open: () => AsyncIterable<string>;
    fileName: string;
    actor: Actor | null;
  },
): Promise<OcdsImportOutcome> {
  const suppliers = new Map<string, ContractDraft['suppliers'][number]>();
  const firstHash = createHash('sha256');
  const checked = await readOcds(hashing(input.open(), firstHash), {
    onRelease: ({ contracts }) => {
      for (const draft of contracts) for (const supplier of draft.suppliers) suppliers.set(supplierKey(supplier), supplier);
    },
  });
  const described = { errors: checked.errors.map(describeIssue), warnings: checked.warnings.map(describeIssue) };
  const outcome = { file: input.fileName, shapes: checked.shapes, issues: { errors: checked.errors, warnings: checked.warnings } };
  if (checked.errors.length > 0) {
    return { ...outcome, ...described, status: 'rejected', releases: 0, contracts: 0, created: 0, updated: 0, unchanged: 0 };
  }
  const sha256 = firstHash.digest('hex');
  const supplierIds = await matchDistinctSuppliers(matchSuppliers, [...suppliers.values()]);
  const { byName } = await organisationIndex(organisationsService);
  const now = clock();
  const written = await repository.inTransaction(async (queries, trx) => {
    const organisationOf = (buyerName: string | null) => (buyerName ? byName.get(normaliseBuyer(buyerName)) : undefined);
    const writer = createContractWriter({ queries, supplierIds, organisationOf, now, fileName: input.fileName });
    const secondHash = createHash('sha256');
    await readOcds(hashing(input.open(), secondHash), {
      validate: false,
      onRelease: ({ contracts }) => writer.add(contracts),
      afterChunk: () => writer.flushWhenFull(),
    });
    await writer.flush();
    // The file was checked in the first reading; if it changed since, nothing of this reading is kept.
    if (secondHash.digest('hex') !== sha256)
      throw new ConflictError(`${input.fileName} changed while it was being imported; nothing was written`);
    const counts = writer.counts();
    const importId = await queries.insertImport({
      file_name: input.fileName,
      sha256,
      package_kind: `${checked.layout === 'single' ? '' : `${checked.layout}: `}${checked.shapes.join(', ')}`.slice(0, 200),
      releases: checked.releases,
      contracts: counts.contracts,
      created: counts.created,
      updated: counts.updated,
      imported_by: input.actor?.userId ?? null,
    });
    await recordAuditEvent(trx, input.actor, {
      action: 'contracts.ocds-imported',
      subjectType: 'contract-import',
      subjectId: importId,
      organisationId: null,
      before: null,
      after: { file: input.fileName, sha256, releases: checked.releases, ...counts },
    });
    return counts;
  });
  return { ...outcome, ...described, status: 'imported', releases: checked.releases, ...written };
}

/** Spend supplier ids for each distinct supplier named in a file, asked a few thousand at a time. */
async function matchDistinctSuppliers(
  matchSuppliers: SupplierMatcher,
  suppliers: ContractDraft['suppliers'],
): Promise<Map<string, number | null>> {
  const ids = new Map<string, number | null>();
  for (let start = 0; start < suppliers.length; start += 5000) {
    const slice = suppliers.slice(start, start + 5000);
    const matched = await matchSuppliers(slice);
    slice.forEach((supplier, index) => ids.set(supplierKey(supplier), matched[index] ?? null));
  }
  return ids;
}

/** Importing OCDS files: text, a file on disk, or an upload kept in a temporary file while it is read twice. */
export function createContractImports(dependencies: ContractImportDependencies) {
  /** Reads and imports an OCDS file from disk, streamed: a bulk download of any size keeps memory flat. */
  async function importOcdsFile(
    filePath: string,
    actor: Actor | null = null,
    fileName = path.basename(filePath),
  ): Promise<OcdsImportOutcome> {
    return importOcdsSource(dependencies, {
      open: () => fs.createReadStream(filePath, { encoding: 'utf8', highWaterMark: 1 << 20 }),
      fileName,
      actor,
    });
  }

  return {
    /**
     * Imports OCDS text (any shape the reader recognises): see importOcdsSource.
     */
    async importOcds(input: { text: string; fileName: string; actor: Actor | null }): Promise<OcdsImportOutcome> {
      return importOcdsSource(dependencies, { open: () => textChunks(input.text), fileName: input.fileName, actor: input.actor });
    },

    importOcdsFile,

    /** Whether this person may import OCDS files (the import form is shown only to them). */
    canImportContracts: (actor: Actor | null) => contractsPolicy.canImportContracts(actor),

    /**
     * Imports an uploaded OCDS file: who may import is decided before a byte is read; the upload is kept in a
     * temporary file (so it can be read twice without holding it in memory) and removed afterwards.
     */
    async importOcdsUpload(
      actor: Actor,
      upload: { fileName: string; stream: Readable & { truncated?: boolean } },
    ): Promise<OcdsImportOutcome> {
      if (!contractsPolicy.canImportContracts(actor)) {
        upload.stream.resume();
        throw new NotAllowedError('Only platform admins import contracts: they come from national sources for every council.');
      }
      const folder = await fsPromises.mkdtemp(path.join(os.tmpdir(), 'commons-ocds-'));
      const file = path.join(folder, 'upload.json');
      try {
        await pipeline(upload.stream, fs.createWriteStream(file, { mode: 0o600 }));
        if (upload.stream.truncated)
          throw new InputError('The file is too big', [{ field: 'file', message: 'The selected file must be smaller than 2 GB' }]);
        return await importOcdsFile(file, actor, path.basename(upload.fileName) || 'upload.json');
      } finally {
        await fsPromises.rm(folder, { recursive: true, force: true });
      }
    },
  };
}
