import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll } from 'vitest';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  // The CPU backend's first write prints a "use tfjs-node" banner; tests use the CPU backend on purpose.
  const warn = console.warn;
  console.warn = () => undefined;
  tf.tensor1d([0]).dispose();
  console.warn = warn;
});
