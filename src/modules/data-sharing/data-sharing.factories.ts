/** Test builders for the data-sharing module's records: state only what a test is about. */
import crypto from 'node:crypto';
import type { AgreementInput } from './agreements.service.js';

/** A complete, valid agreement input shared with one other organisation (by code or slug). */
export function buildAgreementInput(overrides: Partial<AgreementInput> = {}): AgreementInput {
  return {
    title: `Test agreement ${crypto.randomBytes(4).toString('hex')}`,
    purpose: 'To arrange care before people leave hospital.',
    lawfulBasis: 'public-task',
    specialCategory: false,
    article9Condition: '',
    schedule1Condition: '',
    dataSubjects: 'Adults leaving hospital',
    dataItems: 'Name, NHS number, discharge date',
    standardSlugs: [],
    dpiaStatus: 'done',
    dpiaOutcome: 'Low residual risk',
    dpiaTriggers: [],
    retention: 'Deleted after 30 days',
    security: 'Encrypted in transit and at rest',
    reviewDate: '2027-03-31',
    signedOffRole: 'Senior Information Risk Owner',
    signedOffByName: 'Pat Signatory',
    signedOffOn: '2026-04-01',
    contactName: 'Casey Contact',
    contactEmail: 'casey.contact@oxford.example',
    parties: [{ organisation: 'E10000008', role: 'controller' }],
    leadRole: 'controller',
    ...overrides,
  };
}

/** The agreement input as the form posts it. */
export function agreementFormValues(input: AgreementInput): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {
    title: input.title,
    purpose: input.purpose,
    lawfulBasis: input.lawfulBasis,
    specialCategory: input.specialCategory ? 'yes' : 'no',
    article9Condition: input.article9Condition,
    schedule1Condition: input.schedule1Condition,
    dataSubjects: input.dataSubjects,
    dataItems: input.dataItems,
    standardSlugs: input.standardSlugs,
    dpiaStatus: input.dpiaStatus,
    dpiaOutcome: input.dpiaOutcome,
    dpiaTriggers: input.dpiaTriggers,
    retention: input.retention,
    security: input.security,
    reviewDate: input.reviewDate,
    signedOffRole: input.signedOffRole,
    signedOffByName: input.signedOffByName,
    signedOffOn: input.signedOffOn,
    contactName: input.contactName,
    contactEmail: input.contactEmail,
    leadRole: input.leadRole,
  };
  input.parties.forEach((party, index) => {
    values[`party${index}`] = party.organisation;
    values[`party${index}Role`] = party.role;
  });
  return values;
}

/** A multipart body of files and fields, for the validator's upload routes. */
export function buildMultipart(
  parts: ({ field: string; value: string } | { field: string; fileName: string; content: Buffer | string })[],
) {
  const boundary = `----commons${crypto.randomBytes(8).toString('hex')}`;
  const chunks = parts.map((part) =>
    'fileName' in part
      ? Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"; filename="${part.fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
          ),
          Buffer.from(part.content),
          Buffer.from('\r\n'),
        ])
      : Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"\r\n\r\n${part.value}\r\n`),
  );
  return {
    payload: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
