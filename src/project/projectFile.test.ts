import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readProjectFile, writeProjectFile } from './projectFile';
import { readTeachableMachineProject } from './teachableMachine';
import { writeDatasetZip } from './datasetExport';
import type { ProjectData } from './projectTypes';
import { ProjectFileError } from './zipLimits';
import { imageDir } from '../test/modelFiles';

/** The first n real JPEGs of a class (the committed rps-cgi fixtures), as bytes. */
function jpegs(cls: 'rock' | 'paper', n: number): Uint8Array[] {
  const dir = imageDir('fixtures', 'train', cls);
  return readdirSync(dir).sort().slice(0, n).map((f) => new Uint8Array(readFileSync(path.join(dir, f))));
}

function sampleProject(): ProjectData {
  const rock = jpegs('rock', 3);
  const paper = jpegs('paper', 2);
  return {
    name: 'RPS',
    classes: [
      { name: 'rock', samples: rock },
      { name: 'paper', samples: paper },
      { name: 'empty one', samples: [] },
    ],
    settings: { recording: { fps: 12 } },
    embeddings: {
      baseId: 'b',
      size: 4,
      perClass: [rock.map((_, i) => new Float32Array([i, 1, 2, 3])), paper.map((_, i) => new Float32Array([9, i, 8, 7])), []],
    },
    head: {
      classIndices: [0, 1],
      embeddingTransform: 'l2',
      baseId: 'b',
      modelJson: { modelTopology: { x: 1 }, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }] },
      weights: new Uint8Array([1, 2, 3, 4]),
      summary: { valAccuracy: 0.9 },
      history: [{ epoch: 1 }],
    },
  };
}

function expectRefused(bytes: Uint8Array, pattern: RegExp) {
  let err: unknown;
  try {
    readProjectFile(bytes, 'x.glance.zip');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ProjectFileError);
  expect((err as Error).message).toMatch(pattern);
}

describe('project file', () => {
  it('round-trips classes, order, samples byte for byte, embeddings, head and settings', () => {
    const p = sampleProject();
    const back = readProjectFile(writeProjectFile(p, 'test'));
    expect(back.name).toBe('RPS');
    expect(back.classes.map((c) => c.name)).toEqual(['rock', 'paper', 'empty one']);
    expect(back.classes.map((c) => c.samples.length)).toEqual([3, 2, 0]);
    expect(Buffer.from(back.classes[1].samples[1]).equals(Buffer.from(p.classes[1].samples[1]))).toBe(true);
    expect(Array.from(back.embeddings!.perClass[1][1])).toEqual([9, 1, 8, 7]);
    expect(back.head!.classIndices).toEqual([0, 1]);
    expect(Array.from(back.head!.weights)).toEqual([1, 2, 3, 4]);
    expect(back.head!.modelJson).toEqual(p.head!.modelJson);
    // Settings come back read through the schema: the one given kept, the rest at their defaults.
    expect(back.settings).toEqual({ recording: { fps: 12, delaySec: 0, durationSec: 0 }, training: { epochs: 30, batchSize: 16, learningRate: 0.003, augment: false } });
  });

  it('never casts settings: a file with only {recording:{fps:12}} or nonsense values gets numbers, not NaN', () => {
    const p = sampleProject();
    p.settings = { recording: { fps: 'fast', delaySec: -4, durationSec: 1e9 }, training: { epochs: 'x', learningRate: Number.NaN } };
    const back = readProjectFile(writeProjectFile(p, 'test'));
    expect(back.settings).toEqual({ recording: { fps: 10, delaySec: 0, durationSec: 60 }, training: { epochs: 30, batchSize: 16, learningRate: 0.003, augment: false } });
  });

  it('refuses a head whose model.json is not a model or whose weights do not match it, naming the part', () => {
    const bad = sampleProject();
    bad.head!.modelJson = { hello: 'world' };
    expectRefused(writeProjectFile(bad, 'test'), /trained model description is not a valid model\.json/);
    const short = sampleProject();
    short.head!.weights = new Uint8Array([1, 2]);
    expectRefused(writeProjectFile(short, 'test'), /weights do not match/);
  });

  it('applies the class-name limit of the app to files (60 characters) and refuses duplicates', () => {
    const long = sampleProject();
    long.classes[0].name = 'x'.repeat(61);
    expectRefused(writeProjectFile(long, 'test'), /longer than 60 characters/);
    const ok = sampleProject();
    ok.classes[0].name = `  ${'y'.repeat(60)}  `;
    expect(readProjectFile(writeProjectFile(ok, 'test')).classes[0].name).toBe('y'.repeat(60));
  });

  it('names the zip entry of each sample, for messages about a bad image', () => {
    const back = readProjectFile(writeProjectFile(sampleProject(), 'test'));
    expect(back.classes[1].entries).toEqual(['samples/1/0001.jpg', 'samples/1/0002.jpg']);
  });

  it('opens the version 1 fixture through migration', () => {
    const bytes = new Uint8Array(readFileSync(path.join(__dirname, 'fixtures/project-v1.glance.zip')));
    const p = readProjectFile(bytes);
    expect(p.name).toBe('Colours v1');
    expect(p.classes.map((c) => [c.name, c.samples.length])).toEqual([['red', 2], ['blue', 3]]);
    expect(p.head).toBeNull();
  });

  it('refuses a file that is not a zip', () => expectRefused(strToU8('hello, not a zip'), /not a zip/));

  it('refuses a truncated zip', () => {
    const bytes = writeProjectFile(sampleProject(), 'test');
    expectRefused(bytes.slice(0, Math.floor(bytes.length * 0.6)), /damaged or incomplete/);
  });

  it('refuses a zip without a manifest', () => expectRefused(zipSync({ 'a.txt': strToU8('x') }), /no manifest/));

  it('refuses a corrupt manifest', () => expectRefused(zipSync({ 'manifest.json': strToU8('{oops') }), /damaged manifest/));

  it('refuses a manifest of another kind or a newer version', () => {
    expectRefused(zipSync({ 'manifest.json': strToU8('{"format":"x"}') }), /not a Glance project/);
    expectRefused(zipSync({ 'manifest.json': strToU8('{"format":"glance-project","formatVersion":99}') }), /newer version/);
  });

  it('refuses a project whose sample is missing or not a JPEG', () => {
    const files = unzipSync(writeProjectFile(sampleProject(), 'test'));
    files['samples/0/0002.jpg'] = strToU8('not a jpeg');
    expectRefused(zipSync(files), /sample samples\/0\/0002.jpg/);
  });

  it('refuses a zip bomb before inflating it', () => {
    const bomb = zipSync({ 'manifest.json': strToU8('{}'), 'zeros.bin': [new Uint8Array(64 * 1024 * 1024), { level: 9 }] });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expectRefused(bomb, /zip bomb/);
  });

  it('counts real compressed bytes: thousands of tiny entries cannot claim gigabytes between them', () => {
    // 3,000 entries of 60 KB of zeros each (180 MB inflated) from a zip of well under 1 MB: each entry alone is under
    // the per-entry ratio floor, but together they are far beyond what a real project expands to.
    const files: Record<string, [Uint8Array, { level: 9 }]> = {};
    const zeros = new Uint8Array(60 * 1024);
    for (let i = 0; i < 3000; i++) files[`z/${i}.bin`] = [zeros, { level: 9 }];
    const many = zipSync({ 'manifest.json': strToU8('{}'), ...files });
    expect(many.length).toBeLessThan(1024 * 1024);
    expectRefused(many, /zip bomb/);
  });

  it('refuses files over 1 GB without reading them', () => {
    const huge = { length: 1024 * 1024 * 1024 + 1 } as Uint8Array;
    expectRefused(huge, /larger than 1 GB/);
  });
});

describe('Teachable Machine import', () => {
  it('reads classes in the order of their first sample and samples in index order', () => {
    const rock = jpegs('rock', 2);
    const paper = jpegs('paper', 3);
    const tm = zipSync({
      'manifest.json': strToU8(JSON.stringify({ type: 'image', version: '2.4.10', appdata: {} })),
      'paper-!-1.jpg': paper[1],
      'paper-!-0.jpg': paper[0],
      'rock-!-0.jpg': rock[0],
      'paper-!-2.jpg': paper[2],
      'rock-!-1.jpg': rock[1],
    });
    const p = readTeachableMachineProject(tm, 'rps.tm');
    expect(p.classes.map((c) => [c.name, c.samples.length])).toEqual([['paper', 3], ['rock', 2]]);
    expect(Buffer.from(p.classes[0].samples[0]).equals(Buffer.from(paper[0]))).toBe(true);
  });

  it('refuses a zip that has no TM samples', () => {
    expect(() => readTeachableMachineProject(zipSync({ 'manifest.json': strToU8('{}') }), 'x.tm')).toThrow(/no samples/);
  });
});

describe('dataset export', () => {
  it('writes one folder per class with numbered JPEGs, names made safe', () => {
    const zip = unzipSync(writeDatasetZip([
      { name: 'rock', samples: jpegs('rock', 2) },
      { name: 'a/b', samples: jpegs('paper', 1) },
    ]));
    expect(Object.keys(zip).sort()).toEqual(['a_b/1.jpg', 'rock/1.jpg', 'rock/2.jpg']);
  });
});
