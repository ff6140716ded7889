import type { ExportMetadata } from './exporter';

const BROWSER_SNIPPET = `import * as tf from '@tensorflow/tfjs';

// Serve the unzipped folder next to this page.
const meta = await (await fetch('metadata.json')).json();
const bases = await Promise.all(meta.bases.map((b) => loadBase(b, b.modelPath)));
const head = await tf.loadLayersModel(meta.head.modelPath);

// image: an <img>, <canvas>, <video> or ImageData
const pixels = tf.browser.fromPixels(image);
const probabilities = await predict(pixels);
const unknown = await noneOfThese(pixels);
pixels.dispose();
console.log(unknown ? 'None of these classes' : Object.fromEntries(meta.labels.map((label, i) => [label, probabilities[i]])));`;

const NODE_SNIPPET = `// npm install @tensorflow/tfjs jpeg-js   (plain tfjs, no tfjs-node needed)
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = 'path/to/this/folder';
const meta = JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8'));

// Reads a model.json and its weight files from disk into memory for tf.loadGraphModel / tf.loadLayersModel.
function fromDisk(modelPath) {
  const file = path.join(dir, modelPath);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const shards = json.weightsManifest.flatMap((g) => g.paths).map((p) => readFileSync(path.join(path.dirname(file), p)));
  const bytes = new Uint8Array(Buffer.concat(shards));
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  return tf.io.fromMemory({ ...json, weightSpecs, weightData: bytes.buffer });
}

const bases = await Promise.all(meta.bases.map((b) => loadBase(b, fromDisk(b.modelPath))));
const head = await tf.loadLayersModel(fromDisk(meta.head.modelPath));

const { width, height, data } = jpeg.decode(readFileSync('photo.jpg'), { useTArray: true, formatAsRGBA: false });
const pixels = tf.tensor3d(data, [height, width, 3], 'int32');
const probabilities = await predict(pixels);
const unknown = await noneOfThese(pixels);
pixels.dispose();
console.log(unknown ? 'None of these classes' : Object.fromEntries(meta.labels.map((label, i) => [label, probabilities[i]])));`;

const PREDICT_SNIPPET = `// Loads one base (source: a URL or an IOHandler) as a function images → embedding-node output.
// A graph model runs to its embedding node; a layers model is cut at the layer of that name.
async function loadBase(b, source) {
  if (b.format === 'graph-model') {
    const graph = await tf.loadGraphModel(source);
    return (x) => graph.execute(x, b.embeddingNode);
  }
  const full = await tf.loadLayersModel(source);
  const last = full.layers[full.layers.length - 1];
  const model = last.name === b.embeddingNode
    ? full
    : tf.model({ inputs: full.inputs, outputs: full.getLayer(b.embeddingNode).output });
  return (x) => model.predict(x);
}

// Divides each row by its length (at least 1e-12).
function l2(x) {
  return x.div(tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12));
}

// pixels: [height, width, 3] RGB, 0–255. The head's input (before its transform), [1, D]. Call inside tf.tidy.
function embeddingOf(pixels) {
  // 1. Centre square crop, then bilinear resize with half-pixel centres (alignCorners false).
  const [h, w] = pixels.shape;
  const side = Math.min(h, w);
  const top = Math.floor((h - side) / 2);
  const left = Math.floor((w - side) / 2);
  const square = tf.slice(pixels, [top, left, 0], [side, side, 3]).toFloat();
  const size = meta.imageSize;
  const batch = tf.image.resizeBilinear(square, [size, size], false, true).expandDims(0);
  // 2. Each base: scale 0–255 to its input range, take the embedding node, flatten to [N, D]
  //    (l2-normalised when the base says so). Concatenate the bases.
  const embeddings = meta.bases.map((b, i) => {
    const [min, max] = b.inputRange;
    const x = batch.div(255).mul(max - min).add(min);
    const e = bases[i](x);
    const flat = b.pooling === 'mean' ? e.mean([1, 2]) : e.reshape([e.shape[0], -1]);
    return b.normalize === 'l2' ? l2(flat) : flat;
  });
  return tf.concat(embeddings, 1);
}

// pixels: [height, width, 3] RGB, 0–255. Returns probabilities in meta.labels order.
async function predict(pixels) {
  const out = tf.tidy(() => {
    // 3. l2-normalise if the head was trained that way, run the head (softmax).
    let features = embeddingOf(pixels);
    if (meta.head.embeddingTransform === 'l2') features = l2(features);
    return head.predict(features);
  });
  const probabilities = await out.data();
  out.dispose();
  return probabilities;
}`;

const NOVELTY_SNIPPET = `// "None of these classes" (meta.novelty): true when the image is unlike every class the model was trained on.
// Distance = for the closest class, the mean of 1 − cosine similarity to its k nearest reference embeddings.
// The reference embeddings, decoded once (a function, so the module may call it before this line runs).
function noveltyReferences() {
  if (!meta.novelty) return null;
  if (!noveltyReferences.cache) {
    const bytes = Uint8Array.from(atob(meta.novelty.references.data), (c) => c.charCodeAt(0));
    const all = new Float32Array(bytes.buffer);
    const { count, dim, labelIndex } = meta.novelty.references;
    noveltyReferences.cache = { refs: Array.from({ length: count }, (_, i) => all.subarray(i * dim, (i + 1) * dim)), labelIndex };
  }
  return noveltyReferences.cache;
}

// The distance of an image to the closest class (Infinity without the rule).
async function noveltyDistance(pixels) {
  const novelty = noveltyReferences();
  if (!novelty) return Infinity;
  const e = tf.tidy(() => l2(embeddingOf(pixels)));
  const v = await e.data();
  e.dispose();
  const perClass = new Map();
  novelty.refs.forEach((r, i) => {
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j] * r[j];
    const list = perClass.get(novelty.labelIndex[i]) ?? [];
    list.push(1 - dot);
    perClass.set(novelty.labelIndex[i], list);
  });
  let distance = Infinity;
  for (const list of perClass.values()) {
    const nearest = list.sort((a, b) => a - b).slice(0, meta.novelty.k);
    distance = Math.min(distance, nearest.reduce((a, b) => a + b, 0) / nearest.length);
  }
  return distance;
}

async function noneOfThese(pixels, threshold = meta.novelty?.threshold) {
  return !!meta.novelty && (await noveltyDistance(pixels)) > threshold;
}`;

/** The browser code of the "Export model" README as one paste-able module (predict(), noneOfThese() and loadBase() included). */
export const BROWSER_CODE = `${BROWSER_SNIPPET}\n\n${PREDICT_SNIPPET}\n\n${NOVELTY_SNIPPET}`;

/** Licence notes for the bases the app ships, by BaseDescriptor id. */
const BASE_LICENCES: Record<string, string> = {
  'mobilenet-v1-025-224': 'MobileNet v1 (alpha 0.25, 224) by Google, unchanged, licensed under the Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0).',
  'mobilenet-v1-025-224-layers': 'MobileNet v1 (alpha 0.25, 224, Keras ImageNet weights) by Google, unchanged, licensed under the Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0).',
  'tm-mobilenet-v2-035-224': 'MobileNetV2 (alpha 0.35, 224, no top, Keras ImageNet weights, the base Teachable Machine uses) by Google, unchanged weights, licensed under the Apache License, Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0).',
};

const code = (snippet: string) => `\`\`\`js\n${snippet}\n\`\`\``;

function filesSection(meta: ExportMetadata): string {
  const bases = meta.bases
    .map((b) => `\`${b.modelPath}\` (${b.id}, ${b.format}, ${b.embeddingSize}-d embedding from \`${b.embeddingNode}\`)`)
    .join(', ');
  return `## Files

| file | what it is |
|---|---|
| \`metadata.json\` | labels, preprocessing, base models and head: everything the code below reads |
| \`model.json\`, \`weights.bin\` | the trained head, a TensorFlow.js layers model: embedding → class probabilities |
| \`base/\` | the frozen image model${meta.bases.length > 1 ? 's, one folder each, whose embeddings are concatenated,' : ''} that turns a ${meta.imageSize}×${meta.imageSize} image into an embedding: ${bases} |
| \`README.md\` | this file |`;
}

function recipeSection(meta: ExportMetadata): string {
  const size = meta.imageSize;
  return `## How a prediction is made

1. Crop the centre square of the image and resize it to ${size}×${size} with
   \`tf.image.resizeBilinear(x, [${size}, ${size}], false, true)\` (RGB, still 0–255).
2. For each base in \`metadata.bases\`: scale pixels to its \`inputRange\` (x / 255 · (max − min) + min), run it to
   its \`embeddingNode\` (\`graphModel.execute(batch, embeddingNode)\` for a graph model; for a layers model, the
   output of the layer of that name) and flatten to [N, D] (mean over height and width if \`pooling\` is
   \`"mean"\`; then divide by its length if \`normalize\` is \`"l2"\`). Concatenate the bases' embeddings in order.
3. If \`head.embeddingTransform\` is \`"l2"\`, divide each embedding by its length (at least 1e-12).
4. \`head.predict(embedding)\` gives softmax probabilities in \`labels\` order.

Webcam examples recorded in Glance with its mirror switch on (the default) were flipped left–right, like the
preview. Flip webcam frames the same way before predicting (\`tf.reverse(pixels, 1)\`); uploaded images were not
flipped.

Both snippets below call these functions (and \`noneOfThese\`, further down); paste them into the same module:

${code(PREDICT_SNIPPET)}

## "None of these classes"

${meta.novelty ? `\`metadata.novelty\` holds the rule the page used to say "None of these classes" instead of forcing the top class:
l2-normalise the concatenated embedding (the head's input before its transform), take for each class the mean of
1 − cosine similarity to its ${meta.novelty.k} nearest reference embedding${meta.novelty.k === 1 ? '' : 's'} (\`references\`, ${meta.novelty.references.count} × ${meta.novelty.references.dim} float32, base64), keep the
smallest, and flag the image when it is above \`threshold\` (${meta.novelty.threshold.toPrecision(4)} as exported; the calibrated default
${meta.novelty.defaultThreshold.toPrecision(4)} is ${meta.novelty.calibration.margin} × the ${meta.novelty.calibration.percentile}th percentile of the training examples'
leave-one-out distances). \`noneOfThese(pixels)\` below does exactly that:

${code(NOVELTY_SNIPPET)}` : 'This model was exported without the rule (no training embeddings were available).'}`;
}

function licenceSection(meta: ExportMetadata): string {
  const notes = meta.bases.map((b) => `- \`${b.modelPath}\`: ${BASE_LICENCES[b.id] ?? 'see the licence of the model it was exported from.'}`);
  return `## Licence of the base model${meta.bases.length > 1 ? 's' : ''}

${notes.join('\n')}

Exported with Glance ${meta.appVersion} on ${meta.createdAt}.`;
}

/** The README.md of an export: what each file is, and code that reproduces the app's probabilities. */
export function exportReadme(meta: ExportMetadata): string {
  return [
    '# Image classifier exported from Glance',
    `Classes, in the order of the model's outputs: ${meta.labels.map((l) => `\`${l}\``).join(', ')}.`,
    filesSection(meta),
    recipeSection(meta),
    `## In the browser\n\n${code(BROWSER_SNIPPET)}`,
    `## In Node\n\n${code(NODE_SNIPPET)}`,
    licenceSection(meta),
  ].join('\n\n') + '\n';
}
