import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import { datasetReadme, kerasTrainingScript, type KerasScriptInput } from './keras-script';
import { regressionScores, scaleTarget, valueBands, type Quantity } from './regression';

// train.py for a "Predict a number" project: its number helpers, run in Python (with numpy, no TensorFlow needed),
// must agree with Kiln's own (src/ml/regression.ts).
const fullness: Quantity = { name: 'fullness', unit: '%', min: 20, max: 120 };
const input = (): KerasScriptInput => ({
  projectName: 'Glasses',
  classes: [fullness.name],
  folders: ['photos'],
  settings: { ...DEFAULT_SETTINGS, regressionLoss: 'huber' },
  backboneId: 'mobilenet-v2-0.35-224',
  kilnVersion: '1.4.0',
  quantity: fullness,
});

const dir = mkdtempSync(join(tmpdir(), 'kiln-keras-number-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function python(code: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('python3', ['-c', code], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  return result;
}

describe('train.py for a number', () => {
  it('carries the quantity and the loss, and is valid Python', () => {
    const file = join(dir, 'train.py');
    writeFileSync(file, kerasTrainingScript(input()));
    const result = python(
      `import ast, json, runpy; m = runpy.run_path(${JSON.stringify(file)}, run_name="kiln_test"); ` +
        `print(json.dumps({"q": m["QUANTITY"], "loss": m["parse_args"]([]).loss}))`,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ q: fullness, loss: 'huber' });
  });

  it('scales values, cuts the range in bands and scores in the unit as Kiln does', () => {
    const file = join(dir, 'train.py');
    writeFileSync(file, kerasTrainingScript(input()));
    const truth = [20, 45, 70, 95, 120, 33];
    const predicted = [25, 40, 80, 90, 100, 33];
    const result = python(
      `import json, runpy, numpy as np; m = runpy.run_path(${JSON.stringify(file)}, run_name="kiln_test"); ` +
        `g = m["scaled"].__globals__; g["np"] = np; t = np.array(${JSON.stringify(truth)}, dtype=np.float32); ` +
        `p = np.array(${JSON.stringify(predicted)}, dtype=np.float32); ` +
        `print(json.dumps({"scaled": m["scaled"](t).tolist(), "bands": m["value_bands"](t).tolist(), ` +
        `"scores": m["value_scores"](p, t, 60.0)}))`,
    );
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as { scaled: number[]; bands: number[]; scores: Record<string, number> };
    out.scaled.forEach((s, i) => expect(s).toBeCloseTo(scaleTarget(truth[i]!, fullness), 5));
    expect(out.bands).toEqual(valueBands(truth, fullness));
    const ours = regressionScores(truth, predicted, 60);
    expect(out.scores.rmse).toBeCloseTo(ours.rmse, 4);
    expect(out.scores.mae).toBeCloseTo(ours.mae, 4);
    expect(out.scores.r2).toBeCloseTo(ours.r2!, 4);
    expect(out.scores.baseline_rmse).toBeCloseTo(ours.baselineRmse!, 4);
  });

  it('says in the README where the values are and what the model answers', () => {
    const readme = datasetReadme({ ...input(), photoCounts: [40] });
    expect(readme).toContain("`data/values.csv`: each one's fullness (from 20 to 120 %)");
    expect(readme).toContain('answers the value itself');
  });
});
