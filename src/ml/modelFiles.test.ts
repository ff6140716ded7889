import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { ModelLoadError } from './errors';
import { concatShards, fetchModelFiles, ioHandlerFromFiles, type ModelFiles } from './modelFiles';

/** A fetch that serves the base model directory under http://app.test/models/base/. */
function diskFetch(requested: string[], status: (url: string) => number = () => 200): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    requested.push(url);
    const code = status(url);
    if (code !== 200) return new Response('nope', { status: code });
    const name = new URL(url).pathname.split('/').pop() ?? '';
    return new Response(await readFile(path.join(baseModelDir, name)));
  }) as typeof fetch;
}

let files: ModelFiles;
beforeAll(async () => {
  await useTestBackend();
  files = await readModelFilesFromDir(baseModelDir);
});

describe('fetchModelFiles', () => {
  it('fetches model.json, then each shard relative to it', async () => {
    const requested: string[] = [];
    const fetched = await fetchModelFiles('http://app.test/models/base/model.json?v=1', diskFetch(requested));
    expect(requested).toEqual(['http://app.test/models/base/model.json?v=1', 'http://app.test/models/base/group1-shard1of1.bin']);
    expect(fetched.modelJson.format).toBe('graph-model');
    expect(fetched.modelJsonText).toBe(files.modelJsonText);
    expect([...fetched.weights.keys()]).toEqual(['group1-shard1of1.bin']);
    const [got, want] = [fetched.weights.get('group1-shard1of1.bin'), files.weights.get('group1-shard1of1.bin')];
    // Buffer.compare, because a deep toEqual over 2 MB of bytes takes seconds.
    expect(got && want && Buffer.compare(got, want)).toBe(0);
  });

  it('says what to do when a shard answers with an HTTP error', async () => {
    const fetchFn = diskFetch([], (url) => (url.endsWith('.bin') ? 404 : 200));
    const err = await fetchModelFiles('http://app.test/models/base/model.json', fetchFn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/HTTP 404/);
    expect((err as Error).message).toMatch(/Reload the page/);
  });

  it('turns a network failure into a ModelLoadError', async () => {
    const failing = (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch;
    await expect(fetchModelFiles('/models/base/model.json', failing)).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('rejects a model.json that is not a model description', async () => {
    const notModel = (async () => new Response(JSON.stringify({ hello: 1 }))) as typeof fetch;
    await expect(fetchModelFiles('/m/model.json', notModel)).rejects.toThrow(/not a TensorFlow.js model/);
  });
});

describe('ioHandlerFromFiles', () => {
  it('loads a graph model from memory', async () => {
    const model = await tf.loadGraphModel(ioHandlerFromFiles(files));
    expect(model.inputs[0].shape).toEqual([-1, 224, 224, 3]);
    model.dispose();
  });

  it('concatenates shards in manifest order', () => {
    const split: ModelFiles = {
      modelJson: { ...files.modelJson, weightsManifest: [{ paths: ['b', 'a'], weights: [] }] },
      weights: new Map([['a', new Uint8Array([3, 4])], ['b', new Uint8Array([1, 2])]]),
    };
    expect([...new Uint8Array(concatShards(split))]).toEqual([1, 2, 3, 4]);
  });

  it('reports a missing shard as a ModelLoadError', () => {
    const missing: ModelFiles = { modelJson: files.modelJson, weights: new Map() };
    expect(() => concatShards(missing)).toThrow(ModelLoadError);
  });
});
