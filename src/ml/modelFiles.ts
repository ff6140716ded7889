import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from './errors';

/** A parsed `model.json` as written by the TensorFlow.js converter or `LayersModel.save`. */
export type ModelJsonFile = tf.io.ModelJSON;

/**
 * Everything needed to load a model without the network: the parsed `model.json` and its weight shards,
 * keyed by the shard path exactly as written in `weightsManifest[].paths`. The exporter writes these bytes
 * back out unchanged, so the exported base is the one the app used.
 */
export interface ModelFiles {
  modelJson: ModelJsonFile;
  weights: Map<string, Uint8Array>;
  /** `model.json` exactly as read, when known, so the export can copy it byte for byte. */
  modelJsonText?: string;
}

const LOAD_ADVICE = 'Reload the page; if it keeps failing, check your connection and that the app was deployed with its model files.';

/** The shard paths in manifest order, which is the order tfjs expects the weight bytes in. */
export function shardPaths(modelJson: ModelJsonFile): string[] {
  return modelJson.weightsManifest.flatMap((group) => group.paths);
}

/** Directory part of a URL (up to and including the last '/'), ignoring any query or hash. */
function urlPrefix(url: string): string {
  const path = url.split(/[?#]/)[0];
  return path.slice(0, path.lastIndexOf('/') + 1);
}

async function fetchOk(url: string, fetchFn: typeof fetch, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (cause) {
    throw new ModelLoadError(`The image model could not be downloaded (${what} at ${url}). ${LOAD_ADVICE}`, { cause, say: { key: 'errors.modelDownload', params: { file: url } } });
  }
  if (!res.ok) {
    throw new ModelLoadError(
      `The image model could not be downloaded: ${what} at ${url} answered HTTP ${res.status}. ${LOAD_ADVICE}`,
      { say: { key: 'errors.modelHttp', params: { file: url, status: String(res.status) } } },
    );
  }
  return res;
}

function isModelJson(value: unknown): value is ModelJsonFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ModelJsonFile>;
  return typeof v.modelTopology === 'object' && Array.isArray(v.weightsManifest);
}

/**
 * Downloads `model.json` and then each weight shard it lists, relative to the `model.json` URL.
 * @throws ModelLoadError when a request fails or `model.json` is not a model description.
 */
export async function fetchModelFiles(modelJsonUrl: string, fetchFn: typeof fetch = fetch): Promise<ModelFiles> {
  const res = await fetchOk(modelJsonUrl, fetchFn, 'model.json');
  let modelJson: unknown;
  let modelJsonText: string;
  try {
    modelJsonText = await res.text();
    modelJson = JSON.parse(modelJsonText);
  } catch (cause) {
    throw new ModelLoadError(`The image model description (${modelJsonUrl}) is not valid JSON. ${LOAD_ADVICE}`, { cause });
  }
  if (!isModelJson(modelJson)) {
    throw new ModelLoadError(`${modelJsonUrl} is not a TensorFlow.js model description. ${LOAD_ADVICE}`);
  }
  const prefix = urlPrefix(modelJsonUrl);
  const paths = shardPaths(modelJson);
  const shards = await Promise.all(
    paths.map(async (p) => {
      const shardRes = await fetchOk(prefix + p, fetchFn, `weight file ${p}`);
      return new Uint8Array(await shardRes.arrayBuffer());
    }),
  );
  return { modelJson, weights: new Map(paths.map((p, i) => [p, shards[i]])), modelJsonText };
}

/** Concatenates the shards in manifest order into one ArrayBuffer (copying, so views into larger buffers are safe). */
export function concatShards(files: ModelFiles): ArrayBuffer {
  const parts = shardPaths(files.modelJson).map((p) => {
    const bytes = files.weights.get(p);
    if (!bytes) throw new ModelLoadError(`The image model is missing its weight file ${p}. ${LOAD_ADVICE}`);
    return bytes;
  });
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of parts) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** An IOHandler that loads the model from memory, so `tf.loadGraphModel`/`mobilenet.load` never touch the network. */
export function ioHandlerFromFiles(files: ModelFiles): tf.io.IOHandler {
  return {
    load: () =>
      tf.io.getModelArtifactsForJSON(files.modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        return [specs, concatShards(files)];
      }),
  };
}
