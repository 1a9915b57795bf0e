import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type TrainingSettings } from '../api/settings';
import { datasetReadme, kerasTrainingScript, pythonString, scriptBackbone, type KerasScriptInput } from './keras-script';

/** Runs python3; these tests need it (it is on every developer machine and on CI), so its absence fails them. */
function python(args: string[], input = '') {
  const result = spawnSync('python3', args, { input, encoding: 'utf8', timeout: 30_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('python3 is needed for the train.py tests: install Python 3 and make sure python3 is on the PATH.');
  }
  if (result.error) throw result.error;
  return result;
}

/** What Python itself reads from the script: literal assignments, argparse defaults, attribute names. */
const INSPECT = `
import ast, json, sys
tree = ast.parse(sys.stdin.buffer.read())
out = {"assign": {}, "defaults": {}, "attributes": []}
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        try:
            out["assign"][node.targets[0].id] = ast.literal_eval(node.value)
        except Exception:
            pass
    elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \\
            and isinstance(node.args[0].value, str) and node.args[0].value.startswith("--"):
        flag = node.args[0].value
        out["defaults"][flag] = None
        for keyword in node.keywords:
            if keyword.arg == "default":
                try:
                    out["defaults"][flag] = ast.literal_eval(keyword.value)
                except Exception:
                    pass
    elif isinstance(node, ast.Attribute):
        out["attributes"].append(node.attr)
print(json.dumps(out))
`;

interface Inspection {
  assign: Record<string, unknown>;
  defaults: Record<string, unknown>;
  attributes: string[];
}

function inspect(script: string): Inspection {
  const result = python(['-c', INSPECT], script);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Inspection;
}

const AWKWARD = [
  'plain',
  `it's "quoted"`,
  'back\\slash \\n \\u0041 \\',
  'emoji 🐱‍👤 🇫🇷',
  'line\u2028sep\u2029para',
  'tab\tnew\nline\rcr',
  'nul\u0000bell\u0007del\u007f nel\u0085',
  'ünïcødé 日本語 עברית',
  "'''",
  '"""',
  'lone \ud800 surrogate',
  '{x} %s %(prog)s',
  '#not a comment',
];

const SETTINGS: TrainingSettings = {
  ...DEFAULT_SETTINGS,
  epochs: 37,
  learningRate: 0.0007,
  batchSize: 24,
  hiddenUnits: 64,
  dropout: 0.3,
  labelSmoothing: 0.05,
  l2: 0.001,
  seed: 1234,
  optimizer: 'rmsprop',
  validationFraction: 0.2,
  balance: 'on',
  augmentation: { ...DEFAULT_SETTINGS.augmentation, views: 3, saturation: false },
  fineTuneBlocks: 2,
  fineTuneRateFactor: 0.05,
  earlyStopping: false,
  patience: 7,
};

const input = (overrides: Partial<KerasScriptInput> = {}): KerasScriptInput => ({
  projectName: 'Snacks "&" drinks\n# not code\u2028 % 100',
  classes: AWKWARD,
  folders: AWKWARD.map((_, k) => `class-${k}`),
  settings: SETTINGS,
  backboneId: 'mobilenet-v2-0.35-224',
  kilnVersion: '1.4.0',
  ...overrides,
});

const dir = mkdtempSync(join(tmpdir(), 'kiln-keras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kerasTrainingScript', () => {
  it('is valid Python, for every backbone kind', () => {
    for (const backboneId of [
      'mobilenet-v2-0.35-224',
      'mobilenet-v2-1.00-224',
      'mobilenet-v1-0.25-224',
      'custom-ab12-out_relu',
    ]) {
      const result = python(
        ['-c', 'import ast, sys; ast.parse(sys.stdin.buffer.read())'],
        kerasTrainingScript(input({ backboneId })),
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it('embeds the class names and folders in order, exactly as Python reads them', () => {
    const { assign } = inspect(kerasTrainingScript(input()));
    expect(assign.CLASS_NAMES).toEqual(AWKWARD);
    expect(assign.CLASS_FOLDERS).toEqual(AWKWARD.map((_, k) => `class-${k}`));
    expect(assign.PROJECT_NAME).toBe(input().projectName);
    expect(assign.KILN_VERSION).toBe('1.4.0');
  });

  it('writes any string as a Python literal that reads back the same', () => {
    const script = AWKWARD.map((text, k) => `S${k} = ${pythonString(text)}`).join('\n');
    const { assign } = inspect(script);
    AWKWARD.forEach((text, k) => expect(assign[`S${k}`]).toBe(text));
  });

  it("makes the project's settings the argparse defaults", () => {
    const { defaults } = inspect(kerasTrainingScript(input()));
    expect(defaults).toMatchObject({
      '--epochs': 37,
      '--learning-rate': 0.0007,
      '--batch-size': 24,
      '--hidden-units': 64,
      '--dropout': 0.3,
      '--label-smoothing': 0.05,
      '--l2': 0.001,
      '--seed': 1234,
      '--optimizer': 'rmsprop',
      '--validation-fraction': 0.2,
      '--balance': 'on',
      '--views': 3,
      '--augment': 'flip,rotate,crop,brightness,contrast',
      '--early-stopping': 'off',
      '--patience': 7,
      '--backbone': 'mobilenet_v2',
      '--alpha': 0.35,
      '--fine-tune-blocks': 2,
      '--fine-tune-rate-factor': 0.05,
      '--weights': 'imagenet',
    });
    for (const flag of ['--data', '--out', '--tfjs']) expect(defaults).toHaveProperty(flag);
  });

  it('picks the width of a MobileNetV2 backbone, and MobileNet for the v1 one (which cannot fine-tune blocks)', () => {
    expect(inspect(kerasTrainingScript(input({ backboneId: 'mobilenet-v2-0.75-224' }))).defaults['--alpha']).toBe(0.75);
    const v1 = inspect(kerasTrainingScript(input({ backboneId: 'mobilenet-v1-0.25-224' })));
    expect(v1.defaults).toMatchObject({ '--backbone': 'mobilenet_v1', '--alpha': 0.25, '--fine-tune-blocks': 0 });
    expect(v1.attributes).toContain('MobileNet');
    expect(v1.attributes).toContain('MobileNetV2');
    expect(scriptBackbone('mobilenet-v1-0.25-224')).toEqual({ family: 'mobilenet_v1', alpha: 0.25, note: null });
    expect(scriptBackbone('mobilenet-v2-1.00-224')).toEqual({ family: 'mobilenet_v2', alpha: 1, note: null });
  });

  it('falls back to MobileNetV2 0.35 for a custom backbone, and says so', () => {
    expect(scriptBackbone('custom-ab12-out_relu')).toMatchObject({ family: 'mobilenet_v2', alpha: 0.35 });
    const script = kerasTrainingScript(input({ backboneId: 'custom-ab12-out_relu' }));
    expect(script).toContain('Kiln trained on the backbone "custom-ab12-out_relu"');
    expect(inspect(script).defaults['--fine-tune-blocks']).toBe(0);
    // MobileNetV3-Small too: the script builds only Keras' MobileNetV2 and MobileNet v1.
    expect(scriptBackbone('mobilenet-v3-small-1.0-224')).toMatchObject({ family: 'mobilenet_v2', alpha: 0.35 });
    expect(scriptBackbone('mobilenet-v3-small-1.0-224').note).toContain('does not build');
  });

  it('answers --help without TensorFlow, and checks its flags before loading it', () => {
    const v2 = join(dir, 'train.py');
    writeFileSync(v2, kerasTrainingScript(input()));
    const help = python([v2, '--help']);
    expect(help.status).toBe(0);
    for (const flag of [
      '--fine-tune-blocks',
      '--alpha',
      '--epochs',
      '--learning-rate',
      '--batch-size',
      '--data',
      '--out',
      '--tfjs',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const wrongAlpha = python([v2, '--alpha', '0.25']);
    expect(wrongAlpha.status).toBe(2);
    expect(wrongAlpha.stderr).toContain('not available for mobilenet_v2');

    const v1 = join(dir, 'train_v1.py');
    writeFileSync(v1, kerasTrainingScript(input({ backboneId: 'mobilenet-v1-0.25-224' })));
    const fineTuneV1 = python([v1, '--fine-tune-blocks', '1']);
    expect(fineTuneV1.status).toBe(2);
    expect(fineTuneV1.stderr).toContain('MobileNetV2 only');
  });

  it('refuses folders that do not match the classes', () => {
    expect(() => kerasTrainingScript(input({ folders: ['one'] }))).toThrow(/folders/);
  });
});

describe('datasetReadme', () => {
  const readme = datasetReadme({
    ...input({ classes: ['cat', 'dog | wolf', 'a*b*'], folders: ['cat', 'dog-wolf', 'a-b'] }),
    photoCounts: [12, 30, 5],
  });

  it('lists each class with its folder and photo count', () => {
    expect(readme).toContain('| cat | data/cat/ | 12 |');
    expect(readme).toContain('| dog \\| wolf | data/dog-wolf/ | 30 |');
    expect(readme).toContain('| a\\*b\\* | data/a-b/ | 5 |');
    expect(readme).toContain('47 photos');
  });

  it('gives the settings used in Kiln, and how to run, enlarge and bring back the model', () => {
    for (const row of [
      '| Epochs | 37 |',
      '| Learning rate | 0.0007 |',
      '| Batch size | 24 |',
      '| Optimizer | rmsprop |',
      '| Seed | 1234 |',
    ]) {
      expect(readme).toContain(row);
    }
    expect(readme).toContain('python3 train.py');
    expect(readme).toContain('--alpha 1.0 --fine-tune-blocks 3');
    expect(readme).toContain('--tfjs');
    expect(readme).toContain('pip install tensorflowjs');
    expect(readme.split('\n')[0]).toBe('# Snacks "\\&" drinks # not code  % 100');
  });

  it('refuses counts that do not match the classes', () => {
    expect(() => datasetReadme({ ...input(), photoCounts: [1] })).toThrow(/photo counts/);
  });
});
