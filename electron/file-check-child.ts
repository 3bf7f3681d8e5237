// Entry of the utility process that checks the whole vault file (electron/file-check-process.ts):
// the same script plain Node runs with `-e`, given a CommonJS require that resolves from here.
import { createRequire } from 'node:module';
import { FILE_CHECK_SCRIPT } from './core/platform/integrity-check';

new Function('require', FILE_CHECK_SCRIPT)(createRequire(import.meta.url));
