import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SerializedModel } from '../api/types';
import { fromModelArtifacts, toModelArtifacts } from './model-artifacts';
import { UserError } from '../api/user-message';

/** A layers model as plain data, for IndexedDB or for crossing to the UI. */
export async function serializeModel(model: tfl.LayersModel): Promise<SerializedModel> {
  let saved: SerializedModel | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = fromModelArtifacts(artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new UserError('model.notSerialised', 'The model could not be serialised.');
  return saved;
}

export function deserializeModel(saved: SerializedModel): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(toModelArtifacts(saved)));
}
