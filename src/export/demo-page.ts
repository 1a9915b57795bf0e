// export/: files Kiln writes for use outside it. May import: api, shared. Never workers, ui or storage.
/**
 * The "standalone demo" export: one HTML file that carries the model, its labels and tfjs, and runs
 * predictions on the webcam or on a chosen photo, offline, from file://. Pure string building (no DOM,
 * no Vite imports), so it runs in the studio worker and in Node tests alike. demo-scripts.ts supplies
 * the tfjs bundles in the app. It speaks the language of the Kiln page that exported it: that page passes
 * its language, direction, number locale and translated sentences (DemoPageStrings); numbers and the date are
 * written with Intl in that locale, and names are isolated with <bdi> (docs/EXPORT.md).
 */
import { isCropMode, PAD_COLOUR } from '../api/crop-mode';
import type { CropMode } from '../api/types';
import { escapeHtml } from '../shared/html';

// Escapes text for HTML content and quoted attribute values; exported here for this module's importers.
export { escapeHtml };

export interface DemoPageInput {
  /** Project name, shown as the page heading. Plain text: it is escaped. */
  title: string;
  /** Class names in the model's output order. Plain text: escaped. */
  labels: string[];
  /** tfjs layers model.json: modelTopology plus weightsManifest (whose groups' paths are ['weights.bin']). */
  modelJson: object;
  /** The weights.bin bytes. */
  weights: Uint8Array;
  /** Side of the square model input, e.g. 224. */
  imageSize: number;
  /** How a photo fills that square, as the model was trained: 'center' (default) or 'pad' (see ml/crop-geometry.ts). */
  cropMode?: CropMode;
  /** tfjs UMD bundles to inline, in order: tf-core, tf-layers, tf-backend-cpu, tf-backend-webgl. */
  scripts: string[];
  /** ISO date, shown in the footer. */
  generatedAt: string;
  /** The page's language, a BCP 47 tag ("en", "es", "ar"): its `lang` attribute. Default "en". */
  language?: string;
  /**
   * The locale every number and date on the page is written in, through Intl: Kiln's own for that language, with
   * its one digit system ("ar-u-nu-latn"), so the demo page writes numbers as Kiln does. Default: `language`.
   */
  locale?: string;
  /** Text direction of that language. Default "ltr". */
  direction?: 'ltr' | 'rtl';
  /**
   * A "Predict a number" model (its one output is the value itself): the page shows that number on a gauge from
   * `min` to `max` instead of class probabilities. Its name and unit are plain text: escaped.
   */
  quantity?: { name: string; unit: string; min: number; max: number } | null;
  /** Every sentence the page shows, in that language (see DemoPageStrings). Default: English. */
  strings?: Partial<DemoPageStrings>;
}

/**
 * Everything the demo page says, translated by the page that exports it (Kiln's `demoPage.*` messages). A
 * `{name}` slot is filled when the demo page runs; user text put in a slot (a class or file name, an error's
 * details) is isolated in a <bdi>, so a name in another script never reorders the sentence around it.
 */
export interface DemoPageStrings {
  /** A number model's answer: the quantity and its value with the unit. */
  value: string;
  /** Under the heading. */
  lede: string;
  useWebcam: string;
  stopWebcam: string;
  choosePhoto: string;
  dropHint: string;
  /** In the empty picture area. */
  placeholder: string;
  /** The webcam video's accessible name. */
  webcamPicture: string;
  loading: string;
  needsJavaScript: string;
  /** The list of results' accessible name. */
  predictions: string;
  /** Footer, `{date}`: when the page was made. */
  madeWith: string;
  /** Footer, `{backend}`: WebGL or CPU. */
  backend: string;
  /** The backend before it is chosen. */
  backendStarting: string;
  ready: string;
  webcamOn: string;
  predicting: string;
  /** The best class: `{label}` and `{percent}`. */
  top: string;
  /** A class without a name, `{number}`. */
  classNumber: string;
  /** The chosen photo's alt text, `{file}`. */
  yourPhoto: string;
  /** `{file}` */
  notPhoto: string;
  /** `{file}` */
  unreadable: string;
  stillLoading: string;
  /** `{error}` */
  predictionFailed: string;
  cameraBlocked: string;
  cameraMissing: string;
  cameraBusy: string;
  /** `{error}` */
  cameraFailed: string;
  cameraUnavailable: string;
  loadFailedStatus: string;
  /** `{error}` */
  loadFailed: string;
}

/** The demo page in English: what it says when the exporting page passes no strings (and in Kiln's en.json). */
export const DEMO_PAGE_ENGLISH: DemoPageStrings = {
  lede: 'Runs entirely on this device; nothing is uploaded.',
  useWebcam: 'Use the webcam',
  stopWebcam: 'Stop the webcam',
  choosePhoto: 'Choose a photo',
  dropHint: 'Or drop a photo anywhere on this page.',
  placeholder: 'Your photo or the webcam picture appears here.',
  webcamPicture: 'Webcam picture (mirrored)',
  loading: 'Loading the model…',
  needsJavaScript: 'This page needs JavaScript to run the model.',
  predictions: 'Predictions',
  madeWith: 'Made with Kiln on {date}',
  backend: 'Backend: {backend}',
  backendStarting: 'starting…',
  ready: 'Ready',
  webcamOn: 'Webcam on: predicting…',
  predicting: 'Predicting…',
  top: 'Top: {label} ({percent})',
  value: '{label}: {value}',
  classNumber: 'Class {number}',
  yourPhoto: 'Your photo: {file}',
  notPhoto: '"{file}" is not a photo. Choose an image file (JPEG, PNG, WebP or GIF).',
  unreadable:
    '"{file}" could not be opened as a photo: it may be damaged or in a format this browser cannot read. Try a JPEG or PNG.',
  stillLoading: 'The model is still loading. Wait for "Ready", then choose the photo again.',
  predictionFailed: 'Prediction failed: {error}',
  cameraBlocked:
    'The camera was blocked. Allow camera access for this page (in the address bar or the browser\'s site settings), then press "Use the webcam" again. Or choose a photo instead.',
  cameraMissing: 'No camera was found. Connect a camera and press "Use the webcam" again, or choose a photo instead.',
  cameraBusy: 'The camera is in use by another app or tab. Close it, then press "Use the webcam" again.',
  cameraFailed: 'The camera could not start ({error}). Choose a photo instead.',
  cameraUnavailable:
    'This browser does not offer the camera to pages opened from a file. Choose a photo instead, or open this file in a current Chrome, Edge or Firefox.',
  loadFailedStatus: 'The model could not be loaded',
  loadFailed:
    'The model could not be loaded ({error}). Open this file in a current Chrome, Edge, Firefox or Safari; if it still fails, export the demo again.',
};

/** A valid BCP 47 tag: the one given when Intl accepts it, else `fallback`. */
function validTag(code: string | undefined, fallback: string): string {
  if (!code) return fallback;
  try {
    return Intl.getCanonicalLocales(code)[0] ?? fallback;
  } catch {
    return fallback;
  }
}

/** Every string the page needs: the given ones, English for any missing or empty. */
function pageStrings(given: Partial<DemoPageStrings> | undefined): DemoPageStrings {
  const strings = { ...DEMO_PAGE_ENGLISH };
  for (const key of Object.keys(strings) as (keyof DemoPageStrings)[]) {
    const value: unknown = given?.[key];
    if (typeof value === 'string' && value.trim()) strings[key] = value;
  }
  return strings;
}

/**
 * A translated sentence as HTML: its text escaped, each `{name}` slot replaced by the HTML given for it (a slot
 * with none is left as written).
 */
function fillHtml(template: string, slots: Record<string, string>): string {
  return template
    .split(/(\{\w+\})/)
    .map((part, i) => (i % 2 === 1 ? (slots[part.slice(1, -1)] ?? escapeHtml(part)) : escapeHtml(part)))
    .join('');
}

/**
 * The page may not reach the network at all: every fetch, image, font, frame or form target outside the
 * file is refused, and tfjs loads the model with tf.io.fromMemory (no fetch). What is allowed, and why:
 * - script-src 'unsafe-inline': tfjs and the page's code are inline <script>s (a file has no 'self' to
 *   load from, and hashes would need an async digest). Nothing untrusted is ever parsed as script: the
 *   title and labels are HTML-escaped, and the data blocks are JSON/base64 with every '<' escaped.
 *   No 'unsafe-eval': the tfjs 4.22 bundles never call eval or new Function (the WebGL backend compiles
 *   GLSL, which CSP does not govern), and tfjs needs no workers, so worker-src stays 'none'.
 * - 'wasm-unsafe-eval': tf-core bundles long.js, which compiles a tiny WebAssembly module (64-bit
 *   multiply) as it loads. Refused, it falls back to JS but the browser reports a CSP violation on every
 *   load. Compiling WebAssembly from bytes already in the page opens no way to the network.
 * - style-src 'unsafe-inline': the one <style> element.
 * - img-src blob:: the chosen photo is previewed from an object URL.
 * - media-src blob: mediastream:: the webcam preview (a srcObject MediaStream).
 */
export const DEMO_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'wasm-unsafe-eval'",
  "style-src 'unsafe-inline'",
  'img-src blob:',
  'media-src blob: mediastream:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * JSON that is safe as the text of a <script type="application/json">: with every '<' written as \u003c
 * no '</script' or '<!--' can appear, and JSON.parse reads the escape back as '<'.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * JavaScript that is safe inside <script>…</script>: '</script' would end the element and '<!--' could
 * start the parser's "escaped" state, which swallows a later '</script>'. Both are rewritten with a
 * backslash ('<\/script', '<\!--'), which means the same inside strings, templates and regular
 * expressions, where such text occurs in real code. (The tfjs 4.22 bundles contain neither.)
 */
export function scriptForHtml(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Base64 without line breaks, in chunks (a multiple of 3 bytes) so no huge argument lists are built. */
export function bytesToBase64(bytes: Uint8Array): string {
  const CHUNK = 3 * 8192;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    parts.push(btoa(String.fromCharCode(...bytes.subarray(i, i + CHUNK))));
  }
  return parts.join('');
}

/** The day the page was made, in its locale ("January 2, 2025", "2 يناير 2025"); the text as given if it is no date. */
function displayDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(date);
}

const STYLE = `
:root { color-scheme: light dark; --accent: #b4471f; --fg: #1d1b1a; --bg: #fbf8f5; --muted: #5f5954; --card: #fff; --line: #ddd4cc; --bar: #b4471f; --error: #a1221b; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #f1ece8; --bg: #1b1918; --muted: #b5ada6; --card: #262321; --line: #4a4440; --bar: #f08a5d; --accent: #f08a5d; --error: #ff9b93; }
}
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
body.dragging { outline: 4px dashed var(--accent); outline-offset: -8px; }
main { flex: 1; width: 100%; max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem; }
h1 { margin: 0 0 0.25rem; font-size: 1.75rem; line-height: 1.2; overflow-wrap: anywhere; }
.lede, .hint, footer { color: var(--muted); }
.lede { margin: 0 0 1.25rem; }
.controls { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
.button { font: inherit; font-weight: 600; padding: 0.6rem 1.1rem; border-radius: 8px; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
.button.secondary { background: transparent; color: var(--accent); }
.button:hover { filter: brightness(1.08); }
button:disabled, input:disabled + label { opacity: 0.5; cursor: not-allowed; filter: none; }
button:focus-visible, input:focus-visible + label { outline: 3px solid var(--fg); outline-offset: 3px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.hint { margin: 0.5rem 0 1rem; font-size: 0.9rem; }
/* Kept in the accessibility tree while empty, so screen readers announce what is put into it. */
.alert:empty { margin: 0; padding: 0; border: 0; }
.alert { margin: 0 0 1rem; padding: 0.75rem 1rem; border: 2px solid var(--error); border-radius: 8px; color: var(--error); background: var(--card); }
.stage { display: grid; place-items: center; background: var(--card); border: 1px solid var(--line); border-radius: 12px; min-height: 12rem; overflow: hidden; }
.stage video, .stage img { display: block; max-width: 100%; max-height: 60vh; }
.stage video { transform: scaleX(-1); }
.stage .placeholder { color: var(--muted); padding: 1rem; text-align: center; }
[hidden] { display: none !important; }
#status { font-size: 1.25rem; font-weight: 600; margin: 1rem 0 0.5rem; }
.results { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.results li { display: grid; grid-template-columns: minmax(6rem, 12rem) 1fr 4rem; gap: 0.75rem; align-items: center; }
.results .name { overflow-wrap: anywhere; }
.results .pct { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meter { height: 1rem; border-radius: 999px; background: var(--line); overflow: hidden; }
.meter > div { height: 100%; width: 0; background: var(--bar); transition: width 0.1s linear; }
@media (prefers-reduced-motion: reduce) { .meter > div { transition: none; } }
footer { padding: 1rem; text-align: center; font-size: 0.85rem; }
`;

/**
 * The page's own code (plain ES2017, no build step). Preprocessing is Teachable Machine's: the centred
 * square of the image drawn onto a size × size canvas (high-quality smoothing), RGB values x / 127 - 1,
 * shape [1, size, size, 3]. In 'pad' mode the whole image is drawn, centred on a grey (128) square, with
 * white under it for transparency: the same rectangles as ml/crop-geometry.ts, which the worker draws with.
 */
const APP = `
(function () {
  'use strict';
  var byId = function (id) { return document.getElementById(id); };
  var statusEl = byId('status');
  var alertEl = byId('alert');
  var cameraButton = byId('camera');
  var fileInput = byId('file');
  var video = byId('video');
  var photo = byId('photo');
  var placeholder = byId('placeholder');
  var backendEl = byId('backend');
  var config = JSON.parse(byId('kiln-config').textContent);
  var labels = config.labels;
  var SIZE = config.imageSize;
  var PAD = config.cropMode === 'pad';
  var PAD_COLOUR = config.padColour;
  var S = config.strings;
  var percentFormat = new Intl.NumberFormat(config.locale, { style: 'percent', maximumFractionDigits: 0 });
  var numberFormat = new Intl.NumberFormat(config.locale);
  var QUANTITY = config.quantity || null;
  var valueFormat = new Intl.NumberFormat(config.locale, { maximumFractionDigits: 2 });
  var rows = Array.prototype.map.call(document.querySelectorAll('#results li'), function (li) {
    return { meter: li.querySelector('[role="meter"]'), bar: li.querySelector('.meter > div'), pct: li.querySelector('.pct') };
  });
  var canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  var ctx = canvas.getContext('2d', { willReadFrequently: true });
  var model = null;
  var stream = null;
  var frameRequest = 0;
  var lastFrameAt = -Infinity;
  var busy = false;
  var photoUrl = null;
  var generation = 0;

  // A translated sentence with its {name} slots filled: as plain text, or into an element, where each value
  // (a class or file name, an error's details, a number) is isolated in a <bdi> so that a name in another
  // script cannot reorder the sentence around it ("نحل (٩١٪)" stays in that order on a right-to-left page).
  function plain(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (slot, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : slot;
    });
  }
  function fill(el, template, values) {
    var parts = template.split(/\\{(\\w+)\\}/);
    var nodes = [];
    parts.forEach(function (part, i) {
      if (i % 2 === 0) {
        if (part) nodes.push(document.createTextNode(part));
      } else if (values && Object.prototype.hasOwnProperty.call(values, part)) {
        var bdi = document.createElement('bdi');
        bdi.textContent = String(values[part]);
        nodes.push(bdi);
      } else {
        nodes.push(document.createTextNode('{' + part + '}'));
      }
    });
    el.replaceChildren.apply(el, nodes);
  }
  function setStatus(template, values) {
    if (statusEl.textContent !== plain(template, values)) fill(statusEl, template, values);
  }
  function showError(template, values) { fill(alertEl, template, values); }
  function clearError() { alertEl.textContent = ''; }
  function percent(p) { return percentFormat.format(p); }
  function describe(error) { return error && error.message ? error.message : String(error); }

  function base64ToBytes(text) {
    var binary = atob(text.replace(/\\s+/g, ''));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  async function loadModel() {
    var modelJson = JSON.parse(byId('kiln-model').textContent);
    var weightSpecs = [];
    modelJson.weightsManifest.forEach(function (group) { weightSpecs = weightSpecs.concat(group.weights); });
    var weightData = base64ToBytes(byId('kiln-weights').textContent).buffer;
    var loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: weightSpecs, weightData: weightData }));
    // One prediction up front: compiles the WebGL shaders now, and shows early if this backend cannot run the model.
    var out = tf.tidy(function () { return loaded.predict(tf.zeros([1, SIZE, SIZE, 3])); });
    try { await out.data(); } finally { out.dispose(); }
    return loaded;
  }

  async function start() {
    var backend = null;
    try {
      if (await tf.setBackend('webgl')) {
        backend = 'webgl';
        model = await loadModel();
      }
    } catch (error) {
      console.warn('WebGL could not run the model; using the CPU instead.', error);
      if (model) model.dispose();
      model = null;
    }
    if (!model) {
      await tf.setBackend('cpu');
      backend = 'cpu';
      model = await loadModel();
    }
    backendEl.textContent = backend === 'webgl' ? 'WebGL' : 'CPU';
    cameraButton.disabled = false;
    fileInput.disabled = false;
    setStatus(S.ready);
  }

  async function predictFrom(source, width, height) {
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    if (PAD) {
      // The whole picture, scaled so its longer side fills the square, centred on grey.
      var scale = SIZE / Math.max(width, height);
      var w = width * scale;
      var h = height * scale;
      ctx.fillStyle = PAD_COLOUR;
      ctx.fillRect(0, 0, SIZE, SIZE);
      ctx.fillStyle = '#fff';
      ctx.fillRect((SIZE - w) / 2, (SIZE - h) / 2, w, h);
      ctx.drawImage(source, 0, 0, width, height, (SIZE - w) / 2, (SIZE - h) / 2, w, h);
    } else {
      var side = Math.min(width, height);
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, SIZE, SIZE);
      ctx.drawImage(source, (width - side) / 2, (height - side) / 2, side, side, 0, 0, SIZE, SIZE);
    }
    var rgba = ctx.getImageData(0, 0, SIZE, SIZE).data;
    var input = new Float32Array(SIZE * SIZE * 3);
    for (var i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      input[j] = rgba[i] / 127 - 1;
      input[j + 1] = rgba[i + 1] / 127 - 1;
      input[j + 2] = rgba[i + 2] / 127 - 1;
    }
    var out = tf.tidy(function () { return model.predict(tf.tensor4d(input, [1, SIZE, SIZE, 3])); });
    try { return Array.from(await out.data()); } finally { out.dispose(); }
  }

  function show(probabilities) {
    if (QUANTITY) return showValue(probabilities[0]);
    var best = 0;
    probabilities.forEach(function (p, i) {
      var row = rows[i];
      if (p > probabilities[best]) best = i;
      if (!row) return;
      row.meter.setAttribute('aria-valuenow', String(p * 100));
      row.meter.setAttribute('aria-valuetext', percent(p));
      row.bar.style.width = Math.max(0, Math.min(100, p * 100)) + '%';
      row.pct.textContent = percent(p);
    });
    var label = labels[best] || plain(S.classNumber, { number: numberFormat.format(best + 1) });
    setStatus(S.top, { label: label, percent: percent(probabilities[best]) });
  }

  // A number model answers the value itself: shown in words and on the gauge across its range.
  function showValue(value) {
    var row = rows[0];
    var text = valueFormat.format(value) + (QUANTITY.unit ? ' ' + QUANTITY.unit : '');
    var share = (value - QUANTITY.min) / (QUANTITY.max - QUANTITY.min);
    if (row) {
      row.meter.setAttribute('aria-valuenow', String(Math.max(QUANTITY.min, Math.min(QUANTITY.max, value))));
      row.meter.setAttribute('aria-valuetext', text);
      row.bar.style.width = Math.max(0, Math.min(100, share * 100)) + '%';
      row.pct.textContent = text;
    }
    setStatus(S.value, { label: QUANTITY.name, value: text });
  }

  // Webcam: the preview is mirrored (like a mirror), the model sees the frame as the camera gives it.
  // Frames are predicted on requestAnimationFrame, one at a time and at most ten a second.
  function onFrame(now) {
    if (!stream) return;
    frameRequest = requestAnimationFrame(onFrame);
    if (busy || now - lastFrameAt < 100 || video.readyState < 2 || !video.videoWidth) return;
    lastFrameAt = now;
    busy = true;
    var mine = generation;
    predictFrom(video, video.videoWidth, video.videoHeight)
      .then(function (p) { if (stream && mine === generation) show(p); })
      .catch(function (error) { showError(S.predictionFailed, { error: describe(error) }); stopCamera(); })
      .finally(function () { busy = false; });
  }

  function showCameraError(error) {
    switch (error && error.name) {
      case 'NotAllowedError':
      case 'SecurityError':
        return showError(S.cameraBlocked);
      case 'NotFoundError':
      case 'OverconstrainedError':
        return showError(S.cameraMissing);
      case 'NotReadableError':
      case 'AbortError':
        return showError(S.cameraBusy);
      default:
        return showError(S.cameraFailed, { error: describe(error) });
    }
  }

  async function startCamera() {
    clearError();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showError(S.cameraUnavailable);
      return;
    }
    cameraButton.disabled = true;
    try {
      var s = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
      generation++;
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      photo.hidden = true;
      placeholder.hidden = true;
      await video.play().catch(function () { return undefined; });
      cameraButton.textContent = S.stopWebcam;
      cameraButton.setAttribute('aria-pressed', 'true');
      setStatus(S.webcamOn);
      lastFrameAt = -Infinity;
      frameRequest = requestAnimationFrame(onFrame);
    } catch (error) {
      showCameraError(error);
    } finally {
      cameraButton.disabled = false;
    }
  }

  function stopCamera() {
    if (!stream) return;
    generation++;
    cancelAnimationFrame(frameRequest);
    stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    if (!photoUrl) placeholder.hidden = false;
    photo.hidden = !photoUrl;
    cameraButton.textContent = S.useWebcam;
    cameraButton.setAttribute('aria-pressed', 'false');
  }

  async function usePhoto(file) {
    if (!file) return;
    clearError();
    if (!model) { showError(S.stillLoading); return; }
    if (file.type && file.type.indexOf('image/') !== 0) {
      showError(S.notPhoto, { file: file.name });
      return;
    }
    stopCamera();
    var mine = ++generation;
    var bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      if (!bitmap.width || !bitmap.height) throw new Error('empty image');
    } catch (error) {
      showError(S.unreadable, { file: file.name });
      return;
    }
    if (photoUrl) URL.revokeObjectURL(photoUrl);
    photoUrl = URL.createObjectURL(file);
    photo.src = photoUrl;
    photo.alt = plain(S.yourPhoto, { file: file.name });
    photo.hidden = false;
    placeholder.hidden = true;
    setStatus(S.predicting);
    try {
      var probabilities = await predictFrom(bitmap, bitmap.width, bitmap.height);
      if (mine === generation) show(probabilities);
    } catch (error) {
      showError(S.predictionFailed, { error: describe(error) });
    } finally {
      bitmap.close();
    }
  }

  cameraButton.addEventListener('click', function () { if (stream) stopCamera(); else startCamera(); });
  fileInput.addEventListener('change', function () {
    var file = fileInput.files && fileInput.files[0];
    usePhoto(file).finally(function () { fileInput.value = ''; });
  });
  function hasFiles(event) { return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0; }
  document.addEventListener('dragover', function (event) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', function (event) { if (!event.relatedTarget) document.body.classList.remove('dragging'); });
  document.addEventListener('drop', function (event) {
    document.body.classList.remove('dragging');
    if (!hasFiles(event)) return;
    event.preventDefault();
    usePhoto(event.dataTransfer.files[0]);
  });

  start().catch(function (error) {
    console.error(error);
    setStatus(S.loadFailedStatus);
    showError(S.loadFailed, { error: describe(error) });
  });
})();
`;

export function demoPageHtml(input: DemoPageInput): string {
  const { title, labels, modelJson, weights, imageSize, scripts, generatedAt } = input;
  const cropMode = input.cropMode ?? 'center';
  if (!isCropMode(cropMode)) throw new Error(`Bad crop mode: ${String(cropMode)}`);
  if (!labels.length) throw new Error('The demo page needs at least one label.');
  if (!Number.isInteger(imageSize) || imageSize <= 0) throw new Error(`Bad image size: ${imageSize}`);
  if (!('modelTopology' in modelJson) || !('weightsManifest' in modelJson)) {
    throw new Error('modelJson must be a tfjs layers model.json (modelTopology and weightsManifest).');
  }
  const language = validTag(input.language, 'en');
  const locale = validTag(input.locale, language);
  const direction = input.direction === 'rtl' ? 'rtl' : 'ltr';
  const strings = pageStrings(input.strings);
  const s = (key: keyof DemoPageStrings) => escapeHtml(strings[key]);
  const zero = escapeHtml(new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(0));
  const heading = escapeHtml(title);
  // Names are the teacher's own text, in any script: each is isolated (<bdi>) from the text around it.
  const quantity = input.quantity ?? null;
  const rows = labels
    .map((label) => {
      const name = escapeHtml(label);
      if (quantity)
        return (
          `<li><bdi class="name">${name}</bdi>` +
          `<div class="meter" role="meter" aria-label="${name}" aria-valuemin="${quantity.min}" aria-valuemax="${quantity.max}" aria-valuenow="${quantity.min}" aria-valuetext="—"><div></div></div>` +
          `<span class="pct" aria-hidden="true">—</span></li>`
        );
      return (
        `<li><bdi class="name">${name}</bdi>` +
        `<div class="meter" role="meter" aria-label="${name}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" aria-valuetext="${zero}"><div></div></div>` +
        `<span class="pct" aria-hidden="true">${zero}</span></li>`
      );
    })
    .join('\n');
  const footer = [
    fillHtml(strings.madeWith, {
      date: `<time datetime="${escapeHtml(generatedAt)}">${escapeHtml(displayDate(generatedAt, locale))}</time>`,
    }),
    fillHtml(strings.backend, { backend: `<bdi id="backend">${s('backendStarting')}</bdi>` }),
  ].join(' · ');
  const config = { title, labels, imageSize, cropMode, padColour: PAD_COLOUR, language, locale, strings, quantity };
  const tfScripts = scripts.map((code) => `<script>${scriptForHtml(code)}</script>`).join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${direction}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${DEMO_PAGE_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Kiln">
<title>${heading}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1><bdi>${heading}</bdi></h1>
<p class="lede">${s('lede')}</p>
<div class="controls">
<button type="button" class="button" id="camera" aria-pressed="false" disabled>${s('useWebcam')}</button>
<input type="file" id="file" class="visually-hidden" accept="image/*" disabled>
<label for="file" class="button secondary">${s('choosePhoto')}</label>
</div>
<p class="hint">${s('dropHint')}</p>
<div id="alert" class="alert" role="alert"></div>
<div class="stage">
<p id="placeholder" class="placeholder">${s('placeholder')}</p>
<video id="video" playsinline muted hidden aria-label="${s('webcamPicture')}"></video>
<img id="photo" hidden alt="">
</div>
<p id="status" role="status">${s('loading')}</p>
<noscript><p class="alert">${s('needsJavaScript')}</p></noscript>
<ul id="results" class="results" aria-label="${s('predictions')}">
${rows}
</ul>
</main>
<footer>${footer}</footer>
<script type="application/json" id="kiln-config">${jsonForScript(config)}</script>
<script type="application/json" id="kiln-model">${jsonForScript(modelJson)}</script>
<script type="application/octet-stream" id="kiln-weights">${bytesToBase64(weights)}</script>
${tfScripts}
<script>${scriptForHtml(APP)}</script>
</body>
</html>
`;
}
