import { createRequire } from 'node:module';

/**
 * A CommonJS dependency loaded on its first use instead of at start-up: for packages that take tens of milliseconds
 * to load and that the first pages never need (the PostgreSQL client under PGlite, the SMTP client, the OCDS schema
 * validator, legacy text encodings). `from` is the importing file's `import.meta.url`.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the module's type, as `require` cannot
export function lazyRequire<T>(from: string, specifier: string): () => T {
  const require = createRequire(from);
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
