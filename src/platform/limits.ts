/** How much untrusted input the platform accepts, and how long and how much memory reading one document may take. */
export interface Limits {
  /** Largest upload accepted, in bytes, per kind of file. */
  readonly uploadBytes: {
    /** Spending files (CSV), which can be large. */
    readonly spend: number;
    /** publiccode.yml files. */
    readonly publiccode: number;
    /** OCDS release or record packages (JSON). */
    readonly ocds: number;
    /** Data files checked against a standard (Table Schema, workforce returns). */
    readonly dataFile: number;
  };
  /** The budget of one document parsed off the request thread (src/platform/parsing/bounded-parser.ts). */
  readonly parse: {
    /** Wall-clock time one parse may take before it is stopped. */
    readonly timeLimitMs: number;
    /** Heap the parsing worker may use (its old generation) before it is stopped. */
    readonly memoryLimitMb: number;
  };
}

/** The defaults, also used by tools and tests that do not read the configuration. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  uploadBytes: Object.freeze({ spend: 2 * 1024 ** 3, publiccode: 1_000_000, ocds: 50 * 1024 ** 2, dataFile: 100 * 1024 ** 2 }),
  parse: Object.freeze({ timeLimitMs: 10_000, memoryLimitMb: 256 }),
});
