import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SHORT } from './bases';

/** Everything one run measured, for docs/benchmarks.md. */
export interface DocInput {
  machine: string;
  minutes: number;
  tables: { title: string; table: string }[];
  target: string;
  ece: string;
  speed: Record<string, { b1: number; b16: number }>;
  combinedSpeed: { id: string; b1: number; b16: number };
  pathCheck: string;
}

function speedTable(speed: DocInput['speed'], combined: DocInput['combinedSpeed']): string {
  const row = (name: string, s: { b1: number; b16: number }) => `| ${name} | ${s.b1.toFixed(1)} | ${(1000 / s.b1).toFixed(0)} | ${s.b16.toFixed(1)} |`;
  return [
    '| base | ms / image, 1 at a time (live prediction) | → predictions / s | ms / image in batches of 16 (adding samples) |',
    '|---|---:|---:|---:|',
    ...Object.entries(speed).map(([id, s]) => row(`${id} (${SHORT[id]})`, s)),
    row(`**app default: ${combined.id}**`, combined),
  ].join('\n');
}

/** The whole of docs/benchmarks.md: measured tables around the hand-written reasoning in scripts/eval/reasoning.md. */
export async function renderDoc(d: DocInput): Promise<string> {
  const reasoning = await readFile(path.join(import.meta.dirname, 'reasoning.md'), 'utf8');
  return `# Benchmarks: few-shot accuracy and calibration

Written by \`npm run eval\` (scripts/eval/run.ts); do not edit by hand — edit scripts/eval/reasoning.md and rerun.

Measured: ${d.machine}. The run took ${d.minutes.toFixed(1)} min (embeddings cached in node_modules/.cache/glance-eval/).

## Protocol

- Data: \`../shared/datasets\` rps-webcam (real webcam frames; temporal split) and rps-cgi (CGI hands; train and
  test are different hand models), 3 classes, 140 train and 60 test images per class. Every image goes through
  the app's \`cropAndResize\` (centre square, 224×224).
- For each k (5, 10, 25 examples per class) and seed 1–5: a seeded draw of k train images per class
  (\`drawIndices\`, the same draw for every method at a seed). "all" = all 140 per class, one run. Score: accuracy on
  the **whole** test split (180 images), mean ± sample std over the 5 seeds. Cross-domain: the same trained models,
  scored on the other dataset's test split.
- **Glance default** = what the app runs: the default extractor (\`loadExtractors(DEFAULT_BASES)\`, src/ml/multiBase.ts)
  and \`trainHead\` with no overrides (\`DEFAULT_TRAINING\`, src/ml/head.ts) — the app's own code, not a copy.
- **TM recipe** = Teachable Machine's head as \`@teachablemachine/image\` trains it (scripts/eval/tmRecipe.ts):
  Dense(100, relu, varianceScaling) → Dense(N, softmax, no bias), Adam 0.001, 50 epochs, batch 16, 15% of each class
  held out, last epoch kept, on raw embeddings. "· v2" = on TM's own base (MobileNetV2 α0.35, 1280-d, the reference);
  "· v1g" = on Glance's old base (like for like).
- Bases: v1g = MobileNet v1 α0.25 TF-Hub graph (256-d), v1k = Keras MobileNet v1 α0.25 layers model (256-d, mean of
  conv_pw_13_relu), v2 = TM's MobileNetV2 α0.35 (1280-d). "a+b" = each base's embedding l2-normalised, concatenated.
- ECE: expected calibration error of the top-class confidence (the number the meters show), 10 equal-width bins,
  on the test split.

${d.pathCheck}

## Results (test accuracy, %)

${d.tables.map((t) => `### ${t.title}\n\n${t.table}`).join('\n\n')}

## Target check: Glance default vs the TM reference (TM recipe · v2)

Target: in-domain at k = 5, 10, 25 at least +3 points or ≥ 30% fewer errors; never worse at any k; not worse across
domains.

${d.target}

## Calibration (ECE, lower is better)

${d.ece}

## Speed (WASM backend in Node, one thread)

${speedTable(d.speed, d.combinedSpeed)}

${reasoning}`;
}
