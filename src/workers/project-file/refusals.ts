/**
 * Why a project file is refused, or cannot be made: a ProjectFileError whose key (under `worker.projectFile.` and
 * `worker.pack.` in src/ui/i18n/locales) the page translates; the English text is the fallback.
 */
import { UserError } from '../../api/user-message';
import { PackError } from '../classroom-pack';

export class ProjectFileError extends UserError {
  override name = 'ProjectFileError';
}

/** The file is broken or inconsistent; `detail` says where ("the list of classes is missing or not a list"). */
export function damaged(detail: string): ProjectFileError {
  return new ProjectFileError(
    'projectFile.damaged',
    `The project file is damaged: ${detail}. Export the project from Kiln again.`,
    { detail },
  );
}

/** An entry the manifest lists is not in the zip. */
export function incomplete(what: string, name: string): ProjectFileError {
  return new ProjectFileError(
    'projectFile.incomplete',
    `The project file is incomplete: ${what} ("${name}") is missing. Export the project from Kiln again.`,
    { what, name },
  );
}

export function missingClass(photoName: string): ProjectFileError {
  return damaged(`the photo "${photoName}" belongs to a class that is not in the file`);
}

/** A crop mode this version does not know (`whose`: "for the project", "for training 2"). */
export function unknownCropMode(value: unknown, whose: string): ProjectFileError {
  return new ProjectFileError(
    'projectFile.unknownCropMode',
    `The project file asks for the crop mode "${String(value)}" (${whose}), which this version of Kiln does not know. Reload Kiln to update it, then import the file again.`,
    { mode: String(value), whose },
  );
}

/** Refuses two classes whose names differ only in case. */
export function checkClassNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new ProjectFileError(
        'projectFile.duplicateClass',
        `The project file has two classes called "${name}". Rename one of them in the project it came from, export it again and import that file.`,
        { name },
      );
    }
    seen.add(key);
  }
}

/** A classroom pack's refusal (PackError), as a project file's, with the same key, text and values. */
export function asProjectFileError(error: unknown): unknown {
  return error instanceof PackError ? new ProjectFileError(error.key, error.message, error.values) : error;
}
