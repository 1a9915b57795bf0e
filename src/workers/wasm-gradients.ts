import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm has no kernels for the gradients of convolutions with respect to their filters
 * (nor depthwise input gradients), so fine-tuning on WASM would stop at the first backward step.
 *
 * - Filter gradients of 1×1 convolutions, which are most of MobileNetV2's blocks (expand, project and
 *   the final Conv_1), are a matrix product, Xᵀ·dY: they run on WASM's own BatchMatMul (XNNPACK).
 * - The rest bridge to the CPU backend's kernels: inputs are read from WASM memory, the CPU kernel
 *   runs, its output is written back. Only depthwise 3×3 gradients of the last blocks take this path.
 */
const BRIDGED = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] as const;

interface SyncBackend {
  readSync(dataId: object): tf.TypedArray;
  write(values: tf.TypedArray | null, shape: number[], dtype: tf.DataType): object;
  disposeData(dataId: object): boolean;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

function onCpu(kernelName: string, cpu: SyncBackend, { inputs, attrs, backend }: KernelArgs): tf.TensorInfo {
  const wasm = backend as unknown as SyncBackend;
  const cpuInputs: Record<string, tf.TensorInfo> = {};
  for (const [name, info] of Object.entries(inputs)) {
    if (!info) continue;
    cpuInputs[name] = {
      dataId: cpu.write(wasm.readSync(info.dataId).slice(), info.shape, info.dtype),
      shape: info.shape,
      dtype: info.dtype,
    };
  }
  try {
    const out = tf
      .getKernel(kernelName, 'cpu')!
      .kernelFunc({ inputs: cpuInputs, attrs, backend: cpu as unknown as tf.KernelBackend }) as tf.TensorInfo;
    const values = cpu.readSync(out.dataId);
    cpu.disposeData(out.dataId);
    return { dataId: wasm.write(values, out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
  } finally {
    for (const info of Object.values(cpuInputs)) cpu.disposeData(info.dataId);
  }
}

const isOne = (v: unknown) => v === undefined || v === 1 || (Array.isArray(v) && v.every((n) => n === 1));
const noPadding = (pad: unknown) =>
  pad === 'valid' || pad === 'same' || pad === 0 || (Array.isArray(pad) && pad.flat().every((n) => n === 0));

/** dW for a 1×1, stride-1 convolution: (x as [pixels, in])ᵀ · (dy as [pixels, out]), on WASM. */
function pointwiseFilterGradient(args: KernelArgs): tf.TensorInfo | null {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape, strides, pad, dataFormat } = args.attrs as {
    filterShape: number[];
    strides: unknown;
    pad: unknown;
    dataFormat?: string;
  };
  const [fh, fw, cin, cout] = filterShape;
  if (fh !== 1 || fw !== 1 || !isOne(strides) || !noPadding(pad) || (dataFormat && dataFormat !== 'NHWC')) return null;
  const pixels = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const out = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc({
    inputs: {
      a: { dataId: x.dataId, shape: [pixels, cin!], dtype: x.dtype },
      b: { dataId: dy.dataId, shape: [pixels, cout!], dtype: dy.dtype },
    },
    attrs: { transposeA: true, transposeB: false },
    backend: args.backend,
  }) as tf.TensorInfo;
  return { dataId: out.dataId, shape: filterShape, dtype: out.dtype };
}

export function bridgeWasmGradients(): void {
  const cpu = tf.findBackend('cpu') as unknown as SyncBackend | null;
  if (!cpu) return;
  for (const kernelName of BRIDGED) {
    if (!tf.getKernel(kernelName, 'cpu') || tf.getKernel(kernelName, 'wasm')) continue;
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: (args) =>
        (kernelName === 'Conv2DBackpropFilter' ? pointwiseFilterGradient(args) : null) ?? onCpu(kernelName, cpu, args),
    });
  }
}
