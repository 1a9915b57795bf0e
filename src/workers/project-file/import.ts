/**
 * Importing a project file: it always makes a NEW project. The whole file is read, checked and converted before
 * anything is written, then one transaction (putProjectBundle) writes it: a refused or failed import changes nothing.
 */
import type { ImportProgress, ProjectImportReport } from '../../api/types';
import { readZip } from '../../shared/zip';
import type { KilnDB } from '../../storage/db';
import { listProjects, putProjectBundle } from '../../storage/projects';
import { readPackBackbone, type PackBackbone } from '../classroom-pack';
import { importedName } from '../../shared/names';
import { MANIFEST } from './names';
import { readManifest } from './read-manifest';
import { readVersion1 } from './read-v1';
import { readVersion2 } from './read-v2';
import { asProjectFileError, ProjectFileError } from './refusals';
import { photoGate, type PhotoCheck } from './photo-gate';
import { zipKind } from '../zip-kind';
import { photoBudget, PROJECT_FILE_ZIP_LIMITS } from './limits';

/** The zip is something Kiln opens another way (zip-kind.ts): the caller opens it that way. */
export class OtherZipKind extends Error {
  override name = 'OtherZipKind';
  constructor(readonly kind: 'tm-project' | 'tm-model' | 'class-folders') {
    super(`The file is not a Kiln project file but ${kind}.`);
  }
}

export interface ImportOptions {
  /**
   * Called with a classroom pack's image model once the whole file has been checked, before the project is stored;
   * it stores the model when this device lacks it. When it throws, nothing of the project is stored.
   */
  installBackbone?: (backbone: PackBackbone) => Promise<void>;
  /** Decodes a photo to find out whether it can be used; without it every photo is taken as it is. */
  checkPhoto?: PhotoCheck;
  /** Photos checked so far, of all the file's photos. */
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Reads a project file and stores it as a NEW project (new ids for project, classes, samples, runs; references
 * remapped). Photos that cannot be used are left out; the report names each with its reason.
 */
export async function importProjectFile(
  db: KilnDB,
  bytes: Uint8Array,
  options: ImportOptions = {},
): Promise<ProjectImportReport> {
  const files = readZip(bytes, 'projectFile', PROJECT_FILE_ZIP_LIMITS);
  const kind = zipKind(files);
  if (kind === 'tm-project' || kind === 'tm-model' || kind === 'class-folders') throw new OtherZipKind(kind);
  const manifestBytes = files.get(MANIFEST);
  if (!manifestBytes) {
    throw new ProjectFileError(
      'projectFile.noManifest',
      "The project file is not a Kiln project file: it has no manifest.json. If it is a Teachable Machine model, use 'Open a Teachable Machine model'.",
    );
  }
  const manifest = readManifest(manifestBytes);

  const now = Date.now();
  const total = manifest.version === 1 ? manifest.photos.length : manifest.samples.length;
  const { gate, reports } = photoGate(total, options.checkPhoto, options.onProgress, photoBudget(bytes.length));
  const bundle =
    manifest.version === 1 ? await readVersion1(manifest, files, now, gate) : await readVersion2(manifest, files, now, gate);
  const names = new Set((await listProjects(db)).map((p) => p.name));
  bundle.project.name = importedName(bundle.project.name, names, 'Imported project');
  if (manifest.version === 2 && manifest.backbone !== undefined) {
    // A classroom pack: its image model is checked like the rest before anything is written.
    let backbone: PackBackbone;
    try {
      backbone = await readPackBackbone(manifest.backbone, files, bundle.project.backboneId);
    } catch (error) {
      throw asProjectFileError(error);
    }
    await options.installBackbone?.(backbone);
  }
  await putProjectBundle(db, bundle);
  return { project: bundle.project, classes: reports(bundle.classes, bundle.samples), ignored: [], stoppedBy: null };
}
