/**
 * Validates the resources of a Tabular Data Package, each against its own schema, with foreign keys
 * across resources: the referenced table's keys are read first (one pass over just that file).
 */
import { collectKeys, type KeyLookup } from './table-checker.js';
import type { DataPackage, DataResource } from './table-schema.js';
import { type ByteSource, streamCsvRows, validateTable } from './validate-table.js';
import type { DetailedReport } from './validation.types.js';

/** Opens a resource's bytes by its path in the package, or returns null when there is no such file. */
export type OpenResource = (resource: DataResource) => ByteSource | null;

export interface PackageReport {
  reports: DetailedReport[];
  /** Resources the package describes but whose files are not there (optional tables of a standard). */
  absent: DataResource[];
}

async function lookupsFor(
  resource: DataResource,
  pkg: DataPackage,
  open: OpenResource,
): Promise<{ lookups: Map<string, KeyLookup>; missing: string[] }> {
  const lookups = new Map<string, KeyLookup>();
  const missing: string[] = [];
  for (const key of resource.schema.foreignKeys) {
    if (key.resource === '' || lookups.has(key.resource)) continue;
    const referenced = pkg.resources.find((candidate) => candidate.name === key.resource);
    const stream = referenced ? open(referenced) : null;
    if (!referenced || !stream) {
      if (!missing.includes(key.resource)) missing.push(key.resource);
      continue;
    }
    const collector = collectKeys(referenced.schema, key.referenceFields);
    let header = true;
    await streamCsvRows(stream, (cells) => {
      if (header) header = false;
      else collector.add(cells);
    });
    lookups.set(key.resource, collector.keys);
  }
  return { lookups, missing };
}

/** Validates every resource that has a file; foreign keys to a resource without one fail with a source error. */
export async function validatePackage(pkg: DataPackage, open: OpenResource, options: { maxErrors?: number } = {}): Promise<PackageReport> {
  const reports: DetailedReport[] = [];
  const absent: DataResource[] = [];
  for (const resource of pkg.resources) {
    const stream = open(resource);
    if (!stream) {
      absent.push(resource);
      continue;
    }
    const { lookups, missing } = await lookupsFor(resource, pkg, open);
    const schema = { ...resource.schema, foreignKeys: resource.schema.foreignKeys.filter((key) => !missing.includes(key.resource)) };
    const report = await validateTable(stream, { file: resource.path, schema, maxErrors: options.maxErrors, lookups });
    for (const name of missing) {
      report.errors.push({
        type: 'source-error',
        rowNumber: null,
        fieldNumber: null,
        fieldName: null,
        cell: null,
        message: `The foreign keys of "${resource.name}" refer to the resource "${name}", whose file is not there, so they could not be checked`,
      });
      report.counts['source-error'] = (report.counts['source-error'] ?? 0) + 1;
      report.stats.errors++;
      report.valid = false;
    }
    reports.push(report);
  }
  return { reports, absent };
}
