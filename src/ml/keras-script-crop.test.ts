import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import type { CropMode } from '../api/types';
import { modelDrawRects } from './crop-geometry';
import { kerasTrainingScript } from './keras-script';

const script = (cropMode?: CropMode) =>
  kerasTrainingScript({
    projectName: 'Rock paper scissors',
    classes: ['rock', 'paper'],
    folders: ['rock', 'paper'],
    settings: DEFAULT_SETTINGS,
    backboneId: 'mobilenet-v2-0.35-224',
    kilnVersion: '1.4.0',
    ...(cropMode ? { cropMode } : {}),
  });

/**
 * Runs train.py's own square() on a photo of the given size, with a stand-in for TensorFlow that records
 * the resize and the padding (shapes only), and prints what it did as JSON.
 */
const RUN_SQUARE = `
import ast, json, sys
source = sys.stdin.read()
tree = ast.parse(source)
namespace = {}
for node in tree.body:
    if isinstance(node, ast.Assign) and node.targets[0].id in ("IMAGE_SIZE", "CROP_MODE", "PAD_GREY"):
        exec(ast.get_source_segment(source, node), namespace)
    if isinstance(node, ast.FunctionDef) and node.name == "square":
        square = ast.get_source_segment(source, node)
log = []
class Image:
    def __init__(self, shape): self.shape = shape
    def __getitem__(self, index):
        rows, cols = index[0], index[1]
        log.append(["slice", rows.start, rows.stop, cols.start, cols.stop])
        return Image((rows.stop - rows.start, cols.stop - cols.start, 3))
    def numpy(self): return self
class Fake:
    float32 = uint8 = None
    def __getattr__(self, name): return self
    def cast(self, x, dtype): return x
    def decode_image(self, data, expand_animations): return Image(data)
    def resize(self, image, size, method):
        log.append(["resize", size[0], size[1]])
        return Image((size[0], size[1], 3))
    def pad(self, image, paddings, constant_values):
        log.append(["pad", paddings, constant_values])
        return Image((image.shape[0] + sum(paddings[0]), image.shape[1] + sum(paddings[1]), 3))
    def clip_by_value(self, x, low, high): return x
    def round(self, x): return x
fake = Fake()
namespace["tf"] = fake
exec(square, namespace)
height, width = json.loads(sys.argv[1])
out = namespace["square"]((height, width, 3))
print(json.dumps({"log": log, "shape": list(out.shape), "mode": namespace["CROP_MODE"]}))
`;

function runSquare(source: string, height: number, width: number) {
  const result = spawnSync('python3', ['-c', RUN_SQUARE, JSON.stringify([height, width])], {
    input: source,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error('python3 is needed for this test.');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { log: unknown[][]; shape: number[]; mode: string };
}

describe('train.py and the crop mode', () => {
  it('pads a wide photo into a grey square, where Kiln draws it', () => {
    const { log, shape, mode } = runSquare(script('pad'), 480, 640);
    expect(mode).toBe('pad');
    const { dest } = modelDrawRects(640, 480, 'pad', { x: 0, y: 0, width: 224, height: 224 })!;
    expect(log).toEqual([
      ['resize', dest.height, dest.width],
      [
        'pad',
        [
          [dest.y, 224 - dest.height - dest.y],
          [0, 0],
          [0, 0],
        ],
        128,
      ],
    ]);
    expect(shape).toEqual([224, 224, 3]);
  });

  it('pads a tall photo at the sides', () => {
    const { log } = runSquare(script('pad'), 600, 300);
    expect(log[1]).toEqual([
      'pad',
      [
        [0, 0],
        [56, 56],
        [0, 0],
      ],
      128,
    ]);
  });

  it('centre-crops by default, with no padding code at all', () => {
    const source = script();
    expect(source).not.toContain('tf.pad(');
    const { log, shape, mode } = runSquare(source, 480, 640);
    expect(mode).toBe('center');
    expect(log).toEqual([
      ['slice', 0, 480, 80, 560],
      ['resize', 224, 224],
    ]);
    expect(shape).toEqual([224, 224, 3]);
  });

  it('writes the mode into the exported metadata and the header', () => {
    const source = script('pad');
    expect(source).toContain('"userMetadata": {"kiln": {"cropMode": CROP_MODE,');
    expect(source).toContain('fit with padding');
  });
});
