import { DEFAULT_SETTINGS } from '../api/settings';
import type { CheckpointRecord, ClassRecord, ProjectRecord, RunRecord, SampleRecord } from '../api/types';
import { putClass } from '../storage/classes';
import type { KilnDB } from '../storage/db';

let counter = 0;
const id = (prefix: string) => `${prefix}-${++counter}`;

export function project(overrides: Partial<ProjectRecord> = {}): ProjectRecord {
  return {
    id: id('p'),
    name: 'Project',
    createdAt: 1,
    updatedAt: 1,
    backboneId: 'mobilenet-v2-0.35-224',
    cropMode: 'center',
    activeRunId: null,
    ...overrides,
  };
}

export function klass(projectId: string, order: number, overrides: Partial<ClassRecord> = {}): ClassRecord {
  return { id: id('c'), projectId, name: `class ${order}`, order, createdAt: order, ...overrides };
}

export function sample(projectId: string, classId: string, overrides: Partial<SampleRecord> = {}): SampleRecord {
  return {
    id: id('s'),
    projectId,
    classId,
    hash: id('h'),
    name: 'photo.jpg',
    source: 'file',
    addedAt: counter,
    width: 512,
    height: 384,
    originalWidth: 1024,
    originalHeight: 768,
    image: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }),
    thumb: new Blob([new Uint8Array([4])], { type: 'image/jpeg' }),
    ...overrides,
  };
}

export function run(projectId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: id('r'),
    projectId,
    createdAt: counter,
    durationMs: 10,
    status: 'completed',
    backboneId: 'mobilenet-v2-0.35-224',
    backboneName: 'MobileNetV2 0.35 (ImageNet, 224 px)',
    backend: 'cpu',
    settings: DEFAULT_SETTINGS,
    classes: [],
    curves: [],
    embeddings: { computed: 0, reused: 0 },
    metrics: { trainCount: 0, validationCount: 0, validationAccuracy: null, confusion: [] },
    finalEpoch: 0,
    earlyStopped: false,
    classWeights: null,
    crossValidation: null,
    split: { train: [], validation: [] },
    fineTunedBlocks: 0,
    ...overrides,
  };
}

export function checkpoint(runId: string, projectId: string, overrides: Partial<CheckpointRecord> = {}): CheckpointRecord {
  return {
    runId,
    projectId,
    createdAt: 1,
    epoch: 1,
    head: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(4) },
    backbone: null,
    resume: null,
    ...overrides,
  };
}

/** Stores classes with these ids (photos are only written into a class that exists: storage/samples.ts). */
export async function putClassesWithIds(db: KilnDB, projectId: string, ids: readonly string[]): Promise<void> {
  for (const [order, id] of ids.entries()) await putClass(db, klass(projectId, order, { id, name: id }));
}
