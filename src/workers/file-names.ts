/**
 * Download names made in the worker (model zip, demo page, dataset, project file, classroom pack). The rule
 * itself lives in shared/file-names.ts, so the page names its own downloads (the evaluation report) the same way.
 */
export { downloadName, fileStem, FALLBACK_STEM, STEM_MAX_BYTES } from '../shared/file-names';
