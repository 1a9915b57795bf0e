/**
 * Importing a project file: it always makes a NEW project. The whole file is read, checked and converted before
 * anything is written, then one transaction (putProjectBundle) writes it: a refused or failed import changes nothing.
 */
import type { ProjectRecord } from '../../api/types';
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

export interface ImportOptions {
  /**
   * Called with a classroom pack's image model once the whole file has been checked, before the project is stored;
   * it stores the model when this device lacks it. When it throws, nothing of the project is stored.
   */
  installBackbone?: (backbone: PackBackbone) => Promise<void>;
}

/** Reads a project file and stores it as a NEW project (new ids for project, classes, samples, runs; references remapped). Returns the new project. */
export async function importProjectFile(db: KilnDB, bytes: Uint8Array, options: ImportOptions = {}): Promise<ProjectRecord> {
  const files = readZip(bytes, 'projectFile');
  const manifestBytes = files.get(MANIFEST);
  if (!manifestBytes) {
    throw new ProjectFileError(
      'projectFile.noManifest',
      "The project file is not a Kiln project file: it has no manifest.json. If it is a Teachable Machine model, use 'Open a Teachable Machine model'.",
    );
  }
  const manifest = readManifest(manifestBytes);

  const now = Date.now();
  const bundle = manifest.version === 1 ? await readVersion1(manifest, files, now) : await readVersion2(manifest, files, now);
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
  return bundle.project;
}
