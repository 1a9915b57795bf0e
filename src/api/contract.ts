/**
 * api/: the contract the page and the worker share. Owns the API's type (`typeof api` in the worker),
 * the plain data that crosses (types/), the change events, the job protocol and the page's generic
 * client. May import: shared, the tf-free parts of ml (domain.ts), and the worker for types only.
 *
 * This file: the studio worker's API object, as a type. Adding an operation means writing its service
 * (src/workers/services) and the state method that calls it (src/ui/state); nothing here.
 */
import type { Client } from './client';
import type { StudioApi } from '../workers/studio.worker';

export type { StudioApi };
export type Studio = Client<StudioApi>;

/** What an operation resolves to, for the page's types. */
export type Result<K extends keyof Studio> = Studio[K] extends (...args: never[]) => Promise<infer R> ? R : never;

export type ModelInspection = Result<'inspectModel'>;
export type TmProjectReport = NonNullable<Result<'importTmProject'>>;
export type DatasetReport = Result<'importClassFolders'>;
export type Confidences = Result<'ownClassConfidences'>;
export type ClassStats = Result<'classStats'>[string];
export type FileResult = Parameters<NonNullable<NonNullable<Parameters<Studio['predictFiles']>[1]>['onProgress']>>[0];
/** A file made in the worker, for the page to save. */
export type Download = Result<'exportModel'>;
export type CustomBackboneRequest = Parameters<Studio['addCustomBackbone']>[0];
