#!/usr/bin/env node
/**
 * Brings the default backbone into public/models/ before a build, so the built studio needs no
 * network for it.
 *
 *   KILN_BACKBONE_SOURCE=<folder>  copy model.json + weight files from a folder: the base itself
 *                                  (…/mobilenet-v2-0.35-224-no-top) or a Teachable Machine image export
 *   (unset)                        download from the public bucket; when that fails (no internet),
 *                                  keep a copy already there, or build without one: the app then
 *                                  downloads it on first run and keeps it in IndexedDB.
 *   KILN_BACKBONE_SOURCE_V3_SMALL=<folder>
 *                                  bring MobileNetV3-Small (a TF.js layers model ending at out_hswish, e.g.
 *                                  ../shared/models/mobilenet-v3-small-1.0-224-no-top); no public address
 *                                  serves it, so a build that does not bring it along does not offer it.
 *   KILN_BACKBONE_SOURCE_0_50, _0_75, _1_00=<folder>
 *                                  also bring a larger MobileNetV2 no_top model (model.json + weights)
 *                                  for machines that cannot reach the public bucket; served from the
 *                                  build but not precached (fetched when first chosen, then kept).
 *
 * The app verifies the weights' checksum whatever their source, so a wrong folder is refused at run
 * time with a clear message; here we only check that the files are complete.
 */
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const PUBLIC_URL =
  'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json';
const TARGET = path.resolve('public/models/mobilenet-v2-0.35-224');
const DOWNLOAD_TIMEOUT_MS = 20_000;

function weightFiles(modelJson) {
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error('model.json is not a TensorFlow.js layers model');
  }
  return modelJson.weightsManifest.flatMap((group) => group.paths);
}

async function fromFolder(folder, target = TARGET) {
  const source = path.resolve(folder);
  const modelJson = JSON.parse(await readFile(path.join(source, 'model.json'), 'utf8'));
  const files = weightFiles(modelJson);
  for (const file of files) await stat(path.join(source, file));
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  for (const file of ['model.json', ...files]) await copyFile(path.join(source, file), path.join(target, file));
  return `copied from ${source}`;
}

async function download() {
  const signal = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  const response = await fetch(PUBLIC_URL, { signal });
  if (!response.ok) throw new Error(`${PUBLIC_URL} answered ${response.status}`);
  const text = await response.text();
  const files = weightFiles(JSON.parse(text));
  const blobs = [];
  for (const file of files) {
    const url = new URL(file, PUBLIC_URL);
    const weights = await fetch(url, { signal });
    if (!weights.ok) throw new Error(`${url} answered ${weights.status}`);
    blobs.push([file, Buffer.from(await weights.arrayBuffer())]);
  }
  await rm(TARGET, { recursive: true, force: true });
  await mkdir(TARGET, { recursive: true });
  await writeFile(path.join(TARGET, 'model.json'), text);
  for (const [file, data] of blobs) await writeFile(path.join(TARGET, file), data);
  return `downloaded from ${PUBLIC_URL}`;
}

const folder = process.env.KILN_BACKBONE_SOURCE;
try {
  const how = folder ? await fromFolder(folder) : await download();
  console.log(`[kiln] backbone ${how} into ${path.relative(process.cwd(), TARGET)}`);
} catch (error) {
  if (folder) {
    console.error(`[kiln] KILN_BACKBONE_SOURCE=${folder} is not usable: ${error.message}`);
    process.exit(1);
  }
  const reason = error.cause?.code ?? error.message;
  if (existsSync(path.join(TARGET, 'model.json'))) {
    console.warn(
      `[kiln] could not download the backbone (${reason}); keeping the copy already in ${path.relative(process.cwd(), TARGET)}`,
    );
  } else {
    console.warn(
      `[kiln] could not download the backbone (${reason}). The studio will download it on first run and keep it for offline use.\n` +
        '       Offline machine? Build with a local copy: KILN_BACKBONE_SOURCE=../shared/models/mobilenet-v2-0.35-224-no-top npm run build',
    );
  }
}

// The larger MobileNetV2s, only from a local folder (downloading megabytes nobody may use is not a build's job).
for (const alpha of ['0.50', '0.75', '1.00']) {
  const target = path.resolve(`public/models/mobilenet-v2-${alpha}-224`);
  const source = process.env[`KILN_BACKBONE_SOURCE_${alpha.replace('.', '_')}`];
  if (!source) {
    await rm(target, { recursive: true, force: true });
    continue;
  }
  try {
    console.log(`[kiln] MobileNetV2 ${alpha} ${await fromFolder(source, target)} into ${path.relative(process.cwd(), target)}`);
  } catch (error) {
    console.error(`[kiln] KILN_BACKBONE_SOURCE_${alpha.replace('.', '_')}=${source} is not usable: ${error.message}`);
    process.exit(1);
  }
}

// MobileNetV3-Small, only from a local folder: no public address serves it in this layout.
{
  const target = path.resolve('public/models/mobilenet-v3-small-1.0-224');
  const source = process.env.KILN_BACKBONE_SOURCE_V3_SMALL;
  if (!source) {
    await rm(target, { recursive: true, force: true });
  } else {
    try {
      console.log(`[kiln] MobileNetV3-Small ${await fromFolder(source, target)} into ${path.relative(process.cwd(), target)}`);
    } catch (error) {
      console.error(`[kiln] KILN_BACKBONE_SOURCE_V3_SMALL=${source} is not usable: ${error.message}`);
      process.exit(1);
    }
  }
}
