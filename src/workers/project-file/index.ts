/**
 * The whole-project file (`<name>.kiln.zip`): a project's photos, classes, settings, finished trainings and their
 * models, to move a project to another browser or keep a backup. See docs/PROJECT-FILE.md.
 *
 *   names.ts           the file's name, its entries' names, class folder names
 *   manifest.ts        manifest.json: the types Kiln writes and the valibot schemas of what it reads (v1 and v2)
 *   read-manifest.ts   manifest.json checked against the schemas, or the refusal that says where it is wrong
 *   export.ts          a project as a version-2 file (or a classroom pack)
 *   backbone-pack.ts   fine-tuned backbone layers in and out of backbone.bin
 *   import.ts          a file as a new project, all checked before anything is stored: read-v1.ts, read-v2.ts
 *                      (with runs.ts and models.ts) turn the checked manifest and the zip's entries (entries.ts)
 *                      into records with new ids
 *   refusals.ts        ProjectFileError and the refusals shared by the modules
 */
export { exportProjectFile } from './export';
export { importProjectFile, OtherZipKind, type ImportOptions } from './import';
export { PROJECT_FILE_FORMAT, PROJECT_FILE_VERSION } from './manifest';
export { classroomPackFileName, projectFileName, safeFolderName } from './names';
export { ProjectFileError } from './refusals';
