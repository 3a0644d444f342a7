import { createRequire } from 'node:module';

/** mxlint's version, from package.json (two levels above dist/src/). */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
