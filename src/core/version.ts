import { createRequire } from 'node:module';

/** mxlint's version, from package.json (three levels above dist/src/core/). */
export const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
