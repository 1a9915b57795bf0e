/**
 * What a project file may hold, set by what Kiln itself can make: every project it lets a person build (at least
 * MAX_PROJECT_FILE_PHOTOS photos) goes into a file it can open again. A photo is two entries (the photo and its
 * thumbnail); trainings add a few each.
 */
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../shared/zip';
import { ProjectFileError } from './refusals';

/** The most photos one project file carries. */
export const MAX_PROJECT_FILE_PHOTOS = 60_000;

export const PROJECT_FILE_ZIP_LIMITS: ZipLimits = Object.freeze({
  ...DEFAULT_ZIP_LIMITS,
  // Photo and thumbnail per photo, and room for many trainings (a model is two or three entries).
  maxEntries: 2 * MAX_PROJECT_FILE_PHOTOS + 10_000,
});

/**
 * Photo bytes as they will be stored, counting an entry again each time the manifest names it: a small file whose
 * thousands of photos all point at one entry would otherwise fill the disk (a zip bomb made of references). Photos are
 * stored in the zip as they are, so more than this many times the file's own size cannot come from Kiln.
 */
const MAX_PHOTO_BYTES_PER_FILE_BYTE = 4;
const SMALL_FILE_BYTES = 16 * 1024 ** 2;

export function photoBudget(fileBytes: number): (entryBytes: number) => void {
  const limit = Math.min(DEFAULT_ZIP_LIMITS.maxTotalBytes, fileBytes * MAX_PHOTO_BYTES_PER_FILE_BYTE + SMALL_FILE_BYTES);
  let total = 0;
  return (entryBytes) => {
    total += entryBytes;
    if (total > limit) {
      throw new ProjectFileError(
        'projectFile.repeatedPhotos',
        'The project file is refused: its photos name the same entries over and over and would fill the disk, which is how zip bombs work. Export the project from Kiln again.',
      );
    }
  };
}

/** A project too big for one file is refused at export, with what to do, rather than written and refused on opening. */
export function checkExportable(photoCount: number): void {
  if (photoCount > MAX_PROJECT_FILE_PHOTOS) {
    throw new ProjectFileError(
      'projectFile.tooManyPhotos',
      `This project has ${photoCount} photos, more than the ${MAX_PROJECT_FILE_PHOTOS} one project file can carry. Save the photos with "Download dataset with training script (.zip)" instead, or move some classes to another project.`,
      { count: photoCount, limit: MAX_PROJECT_FILE_PHOTOS },
    );
  }
}
