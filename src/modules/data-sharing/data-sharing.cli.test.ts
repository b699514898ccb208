import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runValidateCommand } from './data-sharing.cli.js';
import { STANDARDS_FOLDER } from './data-sharing.seed.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-validate-cli-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, content);
  return file;
}

async function run(args: string[], findStandardSchema?: (slug: string) => Promise<unknown>) {
  let stdout = '';
  let stderr = '';
  const status = await runValidateCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    findStandardSchema,
  });
  return { status, stdout, stderr };
}

describe('commons validate', () => {
  const schema = write(
    'schema.json',
    JSON.stringify({
      fields: [
        { name: 'id', type: 'integer' },
        { name: 'when', type: 'date' },
      ],
    }),
  );
  const good = write('good.csv', 'id,when\n1,2026-01-01\n');
  const bad = write('bad.csv', 'id,when\nx,2026-01-01\n');

  it('exits 0 when every file is valid and prints one JSON object per file in the interface’s shape', async () => {
    const result = await run(['--schema', schema, '--json', good]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual(['file', 'valid', 'stats', 'errors']);
    expect(report).toMatchObject({ file: good, valid: true, stats: { rows: 1, fields: 2, errors: 0, bytes: 21 } });
  });

  it('exits 1 when any file is invalid, with each error’s type, row, field and cell', async () => {
    const result = await run(['--schema', schema, '--json', good, bad]);
    expect(result.status).toBe(1);
    const reports = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { valid: boolean; errors: unknown[] });
    expect(reports.map((report) => report.valid)).toEqual([true, false]);
    expect(reports[1]?.errors).toEqual([
      {
        type: 'type-error',
        rowNumber: 2,
        fieldNumber: 1,
        fieldName: 'id',
        cell: 'x',
        message: expect.stringContaining('type is "integer/default"') as string,
      },
    ]);
    const human = await run(['--schema', schema, bad]);
    expect(human.stdout).toContain('type-error at row 2, field 1 (id)');
  });

  it('exits 2 when a file cannot be read, or the schema slug is unknown', async () => {
    expect((await run(['--schema', schema, path.join(folder, 'missing.csv')])).status).toBe(2);
    const unknown = await run(['--schema', 'no-such-standard', good], async () => undefined);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no data standard has that slug');
  });

  it('uses a standard of the register by slug, and validates each resource of a data package', async () => {
    const bySlug = await run(['--schema', 'people', '--json', good], async (slug) =>
      slug === 'people'
        ? {
            fields: [
              { name: 'id', type: 'integer' },
              { name: 'when', type: 'date' },
            ],
          }
        : undefined,
    );
    expect(bySlug.status).toBe(0);
    const pkg = await run(['--json', path.join(STANDARDS_FOLDER, 'open-referral-uk', 'datapackage.json')]);
    expect(pkg.status).toBe(0);
    expect(pkg.stdout.trim().split('\n')).toHaveLength(2);
    expect(pkg.stderr).toContain('not present');
  });
});
