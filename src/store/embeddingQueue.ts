import { jpegToCrop } from '../capture/frames';
import type { Embedder } from '../ml/featureExtractor';
import { disposeCrop, type Crop } from '../ml/preprocess';
import { samples } from './samples';
import type { SampleId } from './types';

/**
 * Samples embedded per step. Small on purpose: when the bases run in this page (no engine worker), each step is one
 * synchronous stretch of model work on the main thread (about 30 ms per image on WASM here), and recording, the
 * camera preview and autosave run between steps.
 */
const QUEUE_BATCH = 4;

interface Job {
  sampleId: SampleId;
  /**
   * The crop (a tensor, or pixels made in the image worker), or how to make it when its turn comes (re-embedding many
   * samples must not hold every crop at once).
   */
  crop: Crop | (() => Promise<Crop>);
}

/**
 * Computes each sample's embedding once, when it is added, in batches, off the recording hot path.
 * Owns the queued crop tensors and disposes each once it is embedded (or its sample is gone).
 */
export class EmbeddingQueue {
  private jobs: Job[] = [];
  /** Each queued sample's latest job: a sample is embedded once however often it is asked for while it waits. */
  private readonly queued = new Map<SampleId, Job>();
  /** Jobs of the batches being embedded now (they stay in `jobs`, counted as pending, until they are done). */
  private readonly busy = new Set<Job>();
  private running = false;
  private waiters: (() => void)[] = [];
  private extractor: Embedder | null = null;
  private readonly onChange: (pending: number) => void;
  private readonly onFailed: (sampleId: SampleId, err: unknown) => void;

  /**
   * `onFailed` hears of each sample that could not be embedded even when tried again on its own (its image cannot
   * be decoded, say): the sample is set aside by the caller, never silently dropped, and the rest go on.
   */
  constructor(onChange: (pending: number) => void, onFailed: (sampleId: SampleId, err: unknown) => void) {
    this.onChange = onChange;
    this.onFailed = onFailed;
  }

  get pending(): number {
    return this.jobs.length;
  }

  /** Starts processing once the base model is ready; null pauses the queue (the bases are being replaced). */
  setExtractor(extractor: Embedder | null): void {
    this.extractor = extractor;
    void this.run();
  }

  /**
   * Takes ownership of `crop`. A function is called when the sample's turn comes, so queuing thousands of samples
   * costs no memory, while `pending` and `idle()` count them from the start.
   */
  enqueue(sampleId: SampleId, crop: Job['crop']): void {
    this.enqueueAll([{ sampleId, crop }]);
  }

  /**
   * `enqueue` for several samples at once, with one change of `pending` (an upload's batch of examples). A sample
   * still waiting keeps its job and the new crop is let go: recovery queues every example without an embedding, and
   * an upload's were queued already. One whose batch is running is queued again: that batch may skip it (it was
   * deleted when the batch began, and an undo brings it back meanwhile) or be dropped (other bases took over).
   */
  enqueueAll(jobs: readonly Job[]): void {
    let added = 0;
    for (const { sampleId, crop } of jobs) {
      const waiting = this.queued.get(sampleId);
      if (waiting && !this.busy.has(waiting)) {
        releaseCrop({ sampleId, crop });
        continue;
      }
      const job = { sampleId, crop };
      this.jobs.push(job);
      this.queued.set(sampleId, job);
      added++;
    }
    if (added === 0) return;
    this.onChange(this.jobs.length);
    void this.run();
  }

  /** Resolves when the queue has at most `limit` jobs left (backpressure for big uploads). */
  async waitBelow(limit: number): Promise<void> {
    while (this.jobs.length > limit) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves when every queued sample has its embedding. */
  idle(): Promise<void> {
    return this.waitBelow(0);
  }

  /** Drops every queued job (new project / page teardown). */
  clear(): void {
    this.jobs.forEach(releaseCrop);
    this.jobs = [];
    this.queued.clear();
    this.busy.clear();
    this.notify();
  }

  private async run(): Promise<void> {
    if (this.running || !this.extractor) return;
    this.running = true;
    const inFlight = new Set<Promise<void>>();
    try {
      for (;;) {
        // Paused (null) while the bases are replaced: the jobs stay queued until setExtractor() starts it again.
        const extractor = this.extractor;
        if (!extractor) break;
        // With the bases in a worker, the next batch is sent while one is computed (`concurrency`), so the worker
        // never waits for this page between batches.
        while (inFlight.size < (extractor.concurrency ?? 1)) {
          const batch = this.jobs.filter((j) => !this.busy.has(j)).slice(0, QUEUE_BATCH);
          if (batch.length === 0) break;
          batch.forEach((j) => this.busy.add(j));
          const step: Promise<void> = this.process(extractor, batch)
            // Not expected (process() handles its failures), but never dropped silently: these examples are set aside.
            .catch((err: unknown) => batch.forEach((j) => this.onFailed(j.sampleId, err)))
            .finally(() => {
            // By identity: `clear()` may have emptied the queue and new jobs arrived while this batch ran.
            this.jobs = this.jobs.filter((j) => !batch.includes(j));
            batch.forEach((j) => {
              this.busy.delete(j);
              // By identity too: after a clear() the sample may be queued again, with a job of its own.
              if (this.queued.get(j.sampleId) === j) this.queued.delete(j.sampleId);
              releaseCrop(j);
            });
            inFlight.delete(step);
            this.notify();
          });
          inFlight.add(step);
        }
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
        // Let the page breathe between batches (rendering, input, the camera loop).
        await new Promise((r) => setTimeout(r, 0));
      }
    } finally {
      this.running = false;
    }
  }

  private async process(extractor: Embedder, batch: Job[]): Promise<void> {
    const live: Job[] = [];
    for (const j of batch) {
      if (!samples.get(j.sampleId)) continue;
      try {
        if (typeof j.crop === 'function') j.crop = await j.crop();
        live.push(j);
      } catch (err) {
        // This one image cannot be decoded: it alone is set aside, the batch goes on.
        this.onFailed(j.sampleId, err);
      }
    }
    if (live.length === 0) return;
    try {
      await this.embedInto(extractor, live);
    } catch {
      // The old bases were disposed under this batch (a switch or a lost GPU): not an error, the samples are queued again.
      if (extractor !== this.extractor) return;
      // Otherwise try each sample on its own once, so one bad crop (or a passing failure) costs only itself.
      for (const j of live) {
        // Pixels sent to the engine worker went with the failed call: this one is made again from its thumbnail.
        if (j.crop instanceof Float32Array && j.crop.buffer.byteLength === 0) {
          const jpeg = samples.get(j.sampleId)?.jpeg;
          if (!jpeg) continue;
          j.crop = () => jpegToCrop(jpeg);
        }
        try {
          if (typeof j.crop === 'function') j.crop = await j.crop();
          await this.embedInto(extractor, [j]);
        } catch (err) {
          if (extractor !== this.extractor) return;
          this.onFailed(j.sampleId, err);
        }
      }
    }
  }

  private async embedInto(extractor: Embedder, jobs: Job[]): Promise<void> {
    const embeddings = await extractor.embed(jobs.map((j) => j.crop as Crop));
    // Other bases took over while this ran: these embeddings are stale, and the switch queued the samples again.
    if (extractor !== this.extractor) return;
    jobs.forEach((j, i) => samples.setEmbedding(j.sampleId, embeddings[i], extractor.base.id));
  }

  private notify(): void {
    this.onChange(this.jobs.length);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}

/** Frees a job's crop tensor, if it holds one (a crop not made yet holds nothing). */
function releaseCrop(job: Job): void {
  if (typeof job.crop !== 'function') disposeCrop(job.crop);
}
