/** This package's version, written into every payload's metadata. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const TSAPPLY_VERSION: string = (require('../package.json') as { version: string }).version;
