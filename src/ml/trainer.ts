import * as tf from '@tensorflow/tfjs';
import { GlanceError, NotEnoughDataError } from './errors';
import { argmax } from './evaluate';
import { classCounts, mulberry32, shuffle, stratifiedSplit } from './dataset';
import { DEFAULT_TRAINING, buildHead, transformEmbeddings, type EmbeddingTransform, type TrainingConfig } from './head';
import { yieldToEventLoop } from './yieldToEventLoop';

/** One example: an embedding and the index of its class. */
export interface TrainingExample {
  embedding: Float32Array;
  label: number;
  /**
   * Embeddings of augmented copies of the same image (see `augmentedCrops`), same size as `embedding`. When the
   * example lands in the training split they are trained on as extra rows with its label; a validation example's
   * copies are left out, so validation only sees real images.
   */
  augmented?: readonly Float32Array[];
}

/** Progress after each epoch; `valLoss`/`valAcc` are null when there is no validation set. */
export interface EpochReport {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
}

/** A trained head (the best epoch's weights) and what happened while training it. */
export interface TrainResult {
  /** Uncompiled, owned by the caller: dispose it (or hand it to a Classifier, which does). */
  model: tf.LayersModel;
  transform: EmbeddingTransform;
  history: EpochReport[];
  bestEpoch: number;
  /** True when training was aborted after at least one epoch. */
  stopped: boolean;
  /** The held-out examples (indices into `examples`) and the best model's predictions for them. */
  validation: { indices: number[]; labels: number[]; predicted: number[]; probabilities: Float32Array[] };
}

/** Options for `trainHead`. Callbacks are called, never modified. */
export interface TrainOptions {
  examples: TrainingExample[];
  numClasses: number;
  config?: Partial<TrainingConfig>;
  signal?: AbortSignal;
  onEpoch?: (report: EpochReport) => void;
  /** `batch` is 1-based within the epoch; `epoch` is 1-based. */
  onBatch?: (batch: number, batchesPerEpoch: number, epoch: number) => void;
}

interface Tensors {
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xVal: tf.Tensor2D | null;
  yVal: tf.Tensor2D | null;
}

interface Best {
  epoch: number;
  report: EpochReport;
  weights: tf.Tensor[];
  probabilities: Float32Array[];
}

function checkInputs(examples: TrainingExample[], numClasses: number, config: TrainingConfig): void {
  const bad = examples.findIndex((e) => !Number.isInteger(e.label) || e.label < 0 || e.label >= numClasses);
  if (bad >= 0) {
    throw new GlanceError('training-failed', `Example ${bad} has class ${examples[bad].label}, but there are ${numClasses} classes. Remove it and train again.`);
  }
  if (classCounts(examples.map((e) => e.label), numClasses).filter((n) => n > 0).length < 2) throw new NotEnoughDataError();
  const size = examples[0].embedding.length;
  if (size === 0 || examples.some((e) => e.embedding.length !== size)) {
    throw new GlanceError('training-failed', 'The examples have embeddings of different sizes. Remove the examples and add them again.');
  }
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1 && Number.isInteger(config.batchSize) && config.batchSize >= 1 && config.learningRate > 0)) {
    throw new GlanceError('training-failed', 'Epochs and batch size must be whole numbers of at least 1, and the learning rate above 0.');
  }
}

function abortError(): DOMException {
  return new DOMException('Training stopped before the first epoch finished', 'AbortError');
}

/** The rows one set of examples contributes: each embedding, then (when wanted) its augmented copies. */
function rowsOf(examples: TrainingExample[], indices: number[], withAugmented: boolean): { embeddings: Float32Array[]; labels: number[] } {
  const embeddings: Float32Array[] = [];
  const labels: number[] = [];
  for (const i of indices) {
    const { embedding, label, augmented } = examples[i];
    const copies = withAugmented ? (augmented ?? []).filter((a) => a.length === embedding.length) : [];
    for (const e of [embedding, ...copies]) {
      embeddings.push(e);
      labels.push(label);
    }
  }
  return { embeddings, labels };
}

function makeTensors(examples: TrainingExample[], split: { train: number[]; validation: number[] }, numClasses: number, config: TrainingConfig): Tensors {
  const size = examples[0].embedding.length;
  const smoothing = config.labelSmoothing ?? 0;
  const build = (indices: number[], withAugmented: boolean, smooth: number): [tf.Tensor2D, tf.Tensor2D] => tf.tidy(() => {
    const rows = rowsOf(examples, indices, withAugmented);
    const flat = new Float32Array(rows.embeddings.length * size);
    rows.embeddings.forEach((e, row) => flat.set(e, row * size));
    const x = transformEmbeddings(tf.tensor2d(flat, [rows.embeddings.length, size]), config.embeddingTransform);
    const oneHot = tf.oneHot(tf.tensor1d(rows.labels, 'int32'), numClasses).toFloat() as tf.Tensor2D;
    const y = smooth > 0 ? (tf.add(tf.mul(oneHot, 1 - smooth), smooth / numClasses) as tf.Tensor2D) : oneHot;
    return [x, y];
  });
  const [xTrain, yTrain] = build(split.train, config.useAugmented ?? true, smoothing);
  const [xVal, yVal] = split.validation.length > 0 ? build(split.validation, false, 0) : [null, null];
  return { xTrain, yTrain, xVal, yVal };
}

/** Runs one epoch batch by batch, yielding between batches. Returns mean loss/acc, or null when aborted. */
async function runEpoch(model: tf.LayersModel, data: Tensors, order: number[], epoch: number, opts: TrainOptions & { config: TrainingConfig }): Promise<{ loss: number; acc: number } | null> {
  const { batchSize } = opts.config;
  const batches = Math.ceil(order.length / batchSize);
  let loss = 0;
  let acc = 0;
  for (let b = 0; b < batches; b++) {
    if (opts.signal?.aborted) return null;
    const idx = order.slice(b * batchSize, (b + 1) * batchSize);
    const [x, y] = tf.tidy(() => {
      const i = tf.tensor1d(idx, 'int32');
      return [tf.gather(data.xTrain, i), tf.gather(data.yTrain, i)];
    });
    try {
      const [l, a] = (await model.trainOnBatch(x, y)) as number[];
      loss += l * idx.length;
      acc += a * idx.length;
    } finally {
      tf.dispose([x, y]);
    }
    opts.onBatch?.(b + 1, batches, epoch);
    await yieldToEventLoop();
  }
  return { loss: loss / order.length, acc: acc / order.length };
}

async function validate(model: tf.LayersModel, data: Tensors, labels: number[]): Promise<{ loss: number; acc: number; probabilities: Float32Array[] } | null> {
  const { xVal, yVal } = data;
  if (!xVal || !yVal) return null;
  const [probs, loss] = tf.tidy(() => {
    const p = model.predict(xVal) as tf.Tensor2D;
    return [p, tf.mean(tf.metrics.categoricalCrossentropy(yVal, p))];
  });
  try {
    const [p, l] = await Promise.all([probs.data(), loss.data()]);
    const k = probs.shape[1];
    const probabilities = Array.from({ length: probs.shape[0] }, (_, i) => Float32Array.from(p.subarray(i * k, (i + 1) * k)));
    const right = probabilities.filter((row, i) => argmax(row) === labels[i]).length;
    return { loss: l[0], acc: right / probabilities.length, probabilities };
  } finally {
    tf.dispose([probs, loss]);
  }
}

function isBetter(r: EpochReport, best: Best | null): boolean {
  if (!best) return true;
  const b = best.report;
  if (r.valAcc === null || b.valAcc === null || b.valLoss === null || r.valLoss === null) return r.loss < b.loss;
  return r.valAcc > b.valAcc || (r.valAcc === b.valAcc && r.valLoss < b.valLoss);
}

/** Everything one training run works on; `best` holds cloned weights that the run must dispose. */
interface Session {
  opts: TrainOptions & { config: TrainingConfig };
  split: { train: number[]; validation: number[] };
  valLabels: number[];
  data: Tensors;
  model: tf.LayersModel;
  history: EpochReport[];
  best: Best | null;
}

/** Trains epoch after epoch until done or aborted, keeping a copy of the best epoch's weights. */
async function runEpochs(s: Session): Promise<void> {
  const { config, signal } = s.opts;
  const rng = mulberry32(config.seed + 1);
  const rows = Array.from({ length: s.data.xTrain.shape[0] }, (_, row) => row);
  for (let epoch = 1; epoch <= config.epochs && !signal?.aborted; epoch++) {
    const train = await runEpoch(s.model, s.data, shuffle(rows, rng), epoch, s.opts);
    if (!train) return;
    const val = await validate(s.model, s.data, s.valLabels);
    const report: EpochReport = {
      epoch, epochs: config.epochs, loss: train.loss, acc: train.acc, valLoss: val?.loss ?? null, valAcc: val?.acc ?? null,
    };
    s.history.push(report);
    if (isBetter(report, s.best)) {
      if (s.best) tf.dispose(s.best.weights);
      s.best = { epoch, report, weights: s.model.getWeights().map((w) => w.clone()), probabilities: val?.probabilities ?? [] };
    }
    s.opts.onEpoch?.(report);
  }
}

/** A fresh, uncompiled head (no optimizer state) carrying the best weights, plus the run's record. */
function toResult(s: Session, best: Best, inputSize: number): TrainResult {
  const { config, numClasses } = s.opts;
  const model = buildHead(inputSize, numClasses, config);
  model.setWeights(best.weights);
  return {
    model,
    transform: config.embeddingTransform,
    history: s.history,
    bestEpoch: best.epoch,
    stopped: s.history.length < config.epochs,
    validation: {
      indices: s.split.validation,
      labels: s.valLabels,
      predicted: best.probabilities.map(argmax),
      probabilities: best.probabilities,
    },
  };
}

/** The validation share to use: none while a class with examples has fewer than `minPerClassForValidation`. */
export function validationFractionFor(labels: readonly number[], config: TrainingConfig): number {
  const min = config.minPerClassForValidation ?? 0;
  if (min <= 0) return config.validationFraction;
  const fewest = Math.min(...classCounts(labels).filter((n) => n > 0));
  return fewest >= min ? config.validationFraction : 0;
}

/**
 * Trains a classifier head on embeddings, holding out a seeded per-class validation split to keep the best
 * epoch. Yields to the event loop between batches so a page stays responsive. Aborting after the first epoch
 * returns the best model so far with `stopped: true`; aborting earlier rejects with an AbortError.
 * @throws NotEnoughDataError when fewer than two classes have examples.
 */
export async function trainHead(opts: TrainOptions): Promise<TrainResult> {
  const config: TrainingConfig = { ...DEFAULT_TRAINING, ...opts.config };
  const { examples, numClasses } = opts;
  checkInputs(examples, numClasses, config);
  if (opts.signal?.aborted) throw abortError();
  const labels = examples.map((e) => e.label);
  const split = stratifiedSplit(labels, validationFractionFor(labels, config), config.seed);
  const inputSize = examples[0].embedding.length;
  const model = buildHead(inputSize, numClasses, config);
  const optimizer = tf.train.adam(config.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const s: Session = {
    opts: { ...opts, config },
    split,
    valLabels: split.validation.map((i) => labels[i]),
    data: makeTensors(examples, split, numClasses, config),
    model,
    history: [],
    best: null,
  };
  try {
    await runEpochs(s);
    if (!s.best) throw abortError();
    return toResult(s, s.best, inputSize);
  } finally {
    if (s.best) tf.dispose(s.best.weights);
    tf.dispose(Object.values(s.data).filter((t): t is tf.Tensor2D => t !== null));
    model.dispose();
    optimizer.dispose();
  }
}
