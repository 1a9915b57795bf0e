/** The project's crop mode (how photos fill the model's square), for the studio worker's API. */
import { isCropMode } from '../api/crop-mode';
import type { CropMode } from '../api/types';
import { getSample } from '../storage/samples';
import { updateProject } from '../storage/projects';
import { announce, db } from './context';
import { viewPixels } from './embedder';
import { UserError } from '../api/user-message';

/**
 * Chooses how the next trainings draw photos. Embeddings are cached per mode, so the next training
 * embeds the photos again (once per mode); the current model keeps the mode it was trained with.
 */
export async function setCropMode(projectId: string, cropMode: CropMode): Promise<void> {
  if (!isCropMode(cropMode))
    throw new UserError('cropMode.unknown', `Unknown crop mode "${String(cropMode)}": choose "center" or "pad".`, {
      mode: String(cropMode),
    });
  await updateProject(await db(), projectId, { cropMode });
  announce('project', projectId);
}

/** One stored photo as the model sees it in each mode, centre-cropped then padded (RGBA, size × size). */
export async function cropModePreview(sampleId: string, size: number): Promise<Uint8ClampedArray[]> {
  const sample = await getSample(await db(), sampleId);
  if (!sample) throw new UserError('photo.gone', 'That photo no longer exists.');
  return Promise.all([viewPixels(sample.image, size, null, 'center'), viewPixels(sample.image, size, null, 'pad')]);
}
