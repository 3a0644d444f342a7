import { createRequire } from 'node:module';

/** mxlint's version, from package.json (three levels above dist/src/core/, and above the CLI bundle in dist/bundle/cli/). */
export const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
