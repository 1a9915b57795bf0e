import * as tf from '@tensorflow/tfjs-core';

/**
 * Direct calls to one backend's kernels, outside the tfjs engine: no tape, no tidy scopes, no tensor
 * bookkeeping. Each call costs a few microseconds instead of ~25 µs through the engine, which is what
 * decides the speed of a small head's training step. The caller owns every TensorInfo it gets and
 * frees it with `free`.
 */
export class RawKernels {
  readonly backend: tf.KernelBackend;
  #kernels = new Map<string, tf.KernelFunc>();

  constructor(readonly backendName: string) {
    const backend = tf.findBackend(backendName);
    if (!backend) throw new Error(`Backend ${backendName} is not ready.`);
    this.backend = backend;
  }

  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown> = {}): tf.TensorInfo {
    let kernel = this.#kernels.get(kernelName);
    if (!kernel) {
      kernel = tf.getKernel(kernelName, this.backendName)?.kernelFunc;
      if (!kernel) throw new Error(`Kernel ${kernelName} is not available on ${this.backendName}.`);
      this.#kernels.set(kernelName, kernel);
    }
    return kernel({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend }) as tf.TensorInfo;
  }

  write(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.TensorInfo {
    return { dataId: this.backend.write(values, shape, dtype), shape, dtype };
  }

  async read(info: tf.TensorInfo): Promise<Float32Array> {
    return (await this.backend.read(info.dataId)) as Float32Array;
  }

  free(...infos: (tf.TensorInfo | null | undefined)[]): void {
    for (const info of infos) if (info) this.backend.disposeData(info.dataId);
  }

  // The few operations a dense head needs, named after what they compute.
  /**
   * a·b. Operands are never passed transposed: on WASM a transposed operand leaves XNNPACK's fast
   * path (a 16×1280·1280×100 product: 0.12 ms plain, 1.3–1.5 ms transposed); transpose() first.
   */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }
  transpose(x: tf.TensorInfo): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm: [1, 0] });
  }
  relu(x: tf.TensorInfo): tf.TensorInfo {
    return this.run('Relu', { x });
  }
  add(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('Add', { a, b });
  }
  sub(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('Sub', { a, b });
  }
  mul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('Multiply', { a, b });
  }
  div(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    return this.run('RealDiv', { a, b });
  }
  sqrt(x: tf.TensorInfo): tf.TensorInfo {
    return this.run('Sqrt', { x });
  }
  square(x: tf.TensorInfo): tf.TensorInfo {
    return this.run('Square', { x });
  }
  /** 1 where x > 0, else 0: the ReLU's derivative. */
  positive(x: tf.TensorInfo): tf.TensorInfo {
    return this.run('Step', { x }, { alpha: 0 });
  }
  softmax(logits: tf.TensorInfo): tf.TensorInfo {
    return this.run('Softmax', { logits }, { dim: logits.shape.length - 1 });
  }
  sumRows(x: tf.TensorInfo): tf.TensorInfo {
    return this.run('Sum', { x }, { axis: [0], keepDims: false });
  }
  rows(x: tf.TensorInfo, start: number, size: number): tf.TensorInfo {
    return this.run(
      'Slice',
      { x },
      { begin: [start, ...x.shape.slice(1).map(() => 0)], size: [size, ...x.shape.slice(1).map(() => -1)] },
    );
  }
  gatherRows(x: tf.TensorInfo, indices: tf.TensorInfo): tf.TensorInfo {
    return this.run('GatherV2', { x, indices }, { axis: 0, batchDims: 0 });
  }
}
