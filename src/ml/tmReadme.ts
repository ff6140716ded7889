/**
 * The code people paste to use a "Teachable Machine format" export: with `@teachablemachine/image`, with ml5 + p5.js,
 * with plain TensorFlow.js, and the command that converts it for Python (Keras). The export panel shows the same
 * texts as the zip's README.md, so what the page offers is what the e2e test runs.
 */

/** The Teachable Machine library and the tfjs it is built for, as the snippet loads them. */
export const TM_LIBRARY = { name: '@teachablemachine/image', version: '0.8.5', tfjs: '1.3.1' } as const;

/** An HTML page: serve it beside the unzipped files (model.json, weights.bin, metadata.json) and a photo.jpg. */
export const TM_SNIPPET = `<!-- index.html, served next to the unzipped model.json, weights.bin and metadata.json -->
<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@1.3.1/dist/tf.min.js"></script>
<script src="https://cdn.jsdelivr.net/npm/@teachablemachine/image@0.8.5/dist/teachablemachine-image.min.js"></script>
<img id="photo" src="photo.jpg">
<pre id="result"></pre>
<script>
  (async () => {
    // './' matters: given a bare 'model.json', tfjs 1.3.1 looks for weights.bin at the site root.
    const model = await tmImage.load('./model.json', './metadata.json');
    const photo = document.getElementById('photo');
    await photo.decode();
    // For webcam frames recorded with Glance's mirror switch on, pass true as the second argument.
    const predictions = await model.predict(photo);
    document.getElementById('result').textContent =
      predictions.map((p) => p.className + ': ' + p.probability.toFixed(3)).join('\\n');
  })();
</script>`;

/** ml5 1.x + p5.js: live webcam classification, the centre square of each frame (what Glance and TM classify). */
export const ML5_SNIPPET = `<!-- index.html, served next to the unzipped model.json, weights.bin and metadata.json -->
<script src="https://cdn.jsdelivr.net/npm/p5@1.11.3/lib/p5.min.js"></script>
<script src="https://unpkg.com/ml5@1/dist/ml5.min.js"></script>
<script>
  let classifier;
  let video;
  let crop;
  let label = 'loading…';

  function preload() {
    // ml5 wants the full http(s) address of model.json (anything else is taken for a model name) and reads
    // the class names from the metadata.json beside it.
    classifier = ml5.imageClassifier(new URL('model.json', location.href).href);
  }

  function setup() {
    createCanvas(224, 244);
    // Mirrored like Glance's preview (its webcam examples are mirrored by default).
    video = createCapture(VIDEO, { flipped: true });
    video.hide();
    // ml5 stretches what it gets to 224×224; give it the centre square, as Glance and Teachable Machine do.
    crop = createGraphics(224, 224);
    classify();
  }

  function classify() {
    const side = min(video.width, video.height);
    if (side > 0) crop.image(video, 0, 0, 224, 224, (video.width - side) / 2, (video.height - side) / 2, side, side);
    classifier.classify(crop, (results) => {
      label = results[0].label + ' ' + nf(results[0].confidence, 0, 2);
      classify();
    });
  }

  function draw() {
    background(255);
    image(crop, 0, 0);
    text(label, 4, 238);
  }
</script>`;

/** Plain TensorFlow.js (an ES module): the same crop, resize and x / 127 − 1 that Glance and both libraries do. */
export const TFJS_SNIPPET = `// <script type="module"> in a page served next to the unzipped files, with <img id="photo" src="photo.jpg">
import * as tf from '@tensorflow/tfjs';

const model = await tf.loadLayersModel('./model.json');
const { labels } = await (await fetch('./metadata.json')).json();
const photo = document.getElementById('photo');
await photo.decode();

// Centre square, resized to 224×224 (bilinear, half-pixel centres), scaled to x / 127 − 1.
const input = tf.tidy(() => {
  const pixels = tf.browser.fromPixels(photo);
  const [h, w] = pixels.shape;
  const side = Math.min(h, w);
  const square = pixels.slice([Math.floor((h - side) / 2), Math.floor((w - side) / 2), 0], [side, side, 3]);
  const resized = tf.image.resizeBilinear(square.toFloat(), [224, 224], false, true);
  return resized.div(127).sub(1).expandDims(0);
});
const output = model.predict(input);
const probabilities = await output.data();
tf.dispose([input, output]);
console.log(Object.fromEntries(labels.map((label, i) => [label, probabilities[i]])));`;

/** Converts the export for Keras (Python), as the tensorflowjs pip package documents it. */
export const PYTHON_COMMAND = 'tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json model.h5';

export const PYTHON_NOTE = `pip install tensorflowjs
${PYTHON_COMMAND}`;

/** Facts about one export the README states. */
export interface TmReadmeInfo {
  labels: readonly string[];
  baseIds: readonly string[];
  appVersion: string;
  createdAt: string;
}

/** The README.md of a Teachable Machine format export. */
export function tmReadme(info: TmReadmeInfo): string {
  const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\``;
  return `# Image classifier exported from Glance (Teachable Machine format)

Classes, in the order of the model's outputs: ${info.labels.map((l) => `\`${l}\``).join(', ')}.

## Files

| file | what it is |
|---|---|
| \`model.json\`, \`weights.bin\` | one TensorFlow.js layers model: a 224×224 RGB image scaled as x / 127 − 1 in, class probabilities out. It holds the frozen image model${info.baseIds.length > 1 ? 's' : ''} (${info.baseIds.join(', ')}) and the trained classifier, built from standard layers only |
| \`metadata.json\` | Teachable Machine's metadata: \`labels\` in output order, \`imageSize\` 224 and version fields; \`userMetadata.novelty\` holds Glance's "None of these classes" rule |
| \`README.md\` | this file |

It loads, unchanged, wherever a Teachable Machine image model does: \`${TM_LIBRARY.name}\` ${TM_LIBRARY.version}
(TensorFlow.js ${TM_LIBRARY.tfjs}), ml5 1.x \`imageClassifier\`, and any TensorFlow.js that loads layers models. Like
Teachable Machine, it expects the centre square of the image resized to 224×224; both libraries do that for you.
Webcam examples recorded in Glance with its mirror switch on (the default) were flipped left–right: flip webcam
frames the same way (the snippets below do).

## With Teachable Machine's library

${fence('html', TM_SNIPPET)}

## With ml5 and p5.js

${fence('html', ML5_SNIPPET)}

## With plain TensorFlow.js

${fence('js', TFJS_SNIPPET)}

## "None of these classes"

Glance said "None of these classes" when an image was unlike every class: \`userMetadata.novelty\` records that rule
(1 − cosine similarity of the l2-normalised embedding to the nearest reference embedding of each class, flagged above
\`threshold\`; the reference embeddings are in it, base64 float32). This single model outputs only probabilities, not
the embedding, so the rule cannot run on it alone: use Glance's "Export model" zip, whose README has \`noneOfThese()\`.

## Use it in Python

Convert it to a Keras model with the \`tensorflowjs\` package:

${fence('sh', PYTHON_NOTE)}

## Licence of the base models

The image models inside are MobileNets by Google (ImageNet weights), licensed under the Apache License, Version 2.0
(https://www.apache.org/licenses/LICENSE-2.0); their batch norms are folded into the convolutions, the numbers are
otherwise unchanged.

Exported with Glance ${info.appVersion} on ${info.createdAt}.
`;
}
