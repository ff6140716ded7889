import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { listImages, loadJpeg } from '../test/modelFiles';
import { CROP_LENGTH, PREPROCESS, cropAndResize, cropTensor } from './preprocess';

beforeAll(async () => {
  await useTestBackend();
});

/** A wide image whose columns are 0 (left third), 128 (middle third), 255 (right third). */
function threeBands(height: number, bandWidth: number): tf.Tensor3D {
  return tf.tidy(() => {
    const band = (v: number) => tf.fill([height, bandWidth, 3], v, 'int32');
    return tf.concat([band(0), band(128), band(255)], 1) as tf.Tensor3D;
  });
}

describe('cropAndResize', () => {
  it('outputs float32 224×224×3 for images of any size', async () => {
    for (const [h, w] of [[224, 224], [256, 256], [480, 640], [100, 50]]) {
      const img = tf.zeros([h, w, 3], 'int32') as tf.Tensor3D;
      const out = cropAndResize(img);
      expect(out.shape).toEqual([PREPROCESS.imageSize, PREPROCESS.imageSize, 3]);
      expect(out.dtype).toBe('float32');
      tf.dispose([img, out]);
    }
  });

  it('keeps the centre square of a wide image', async () => {
    const img = threeBands(224, 224);
    const out = cropAndResize(img);
    expect(await out.min().data()).toEqual(new Float32Array([128]));
    expect(await out.max().data()).toEqual(new Float32Array([128]));
    tf.dispose([img, out]);
  });

  it('keeps the centre square of a tall image', async () => {
    const img = tf.tidy(() => tf.transpose(threeBands(300, 300), [1, 0, 2]) as tf.Tensor3D);
    const out = cropAndResize(img);
    const [lo, hi] = await Promise.all([out.min().data(), out.max().data()]);
    expect([lo[0], hi[0]]).toEqual([128, 128]);
    tf.dispose([img, out]);
  });

  it('mirrors left–right when asked', async () => {
    const ramp = tf.tidy(() => tf.tile(tf.range(0, 224, 1, 'int32').reshape([1, 224, 1]), [224, 1, 3]) as tf.Tensor3D);
    const plain = cropAndResize(ramp);
    const mirrored = cropAndResize(ramp, true);
    const [p, m] = await Promise.all([plain.data(), mirrored.data()]);
    expect([p[0], p[223 * 3]]).toEqual([0, 223]);
    expect([m[0], m[223 * 3]]).toEqual([223, 0]);
    tf.dispose([ramp, plain, mirrored]);
  });

  it('leaves a 224×224 image unchanged', async () => {
    const [file] = await listImages('fixtures', 'test', 'scissors');
    const img = loadJpeg(file);
    const out = cropAndResize(img);
    const diff = tf.tidy(() => out.sub(img.toFloat()).abs().max());
    expect((await diff.data())[0]).toBe(0);
    tf.dispose([img, out, diff]);
  });

  it('does not leak tensors', async () => {
    const img = tf.zeros([256, 320, 3], 'int32') as tf.Tensor3D;
    expect(await tensorsLeftBy(() => cropAndResize(img, true).dispose())).toBe(0);
    img.dispose();
  });

  it("makes the same crops on the cpu backend (the image worker's, for uploads) as on WASM (the page's)", async () => {
    const files = await listImages('fixtures', 'train', 'paper');
    // Real photos at sizes that take each path: a wide and a tall image (crop and resize), a small one (upscale).
    const sources = tf.tidy(() => {
      const photo = loadJpeg(files[0]).toFloat();
      return [[480, 640], [400, 300], [150, 150]].map(([h, w]) => tf.image.resizeBilinear(photo as tf.Tensor3D, [h, w]).round().toInt());
    });
    const pixels = await Promise.all(sources.map((s) => s.data()));
    const shapes = sources.map((s) => s.shape as [number, number, number]);
    tf.dispose(sources);
    const crops = async () => Promise.all(pixels.map((p, i) => tf.tidy(() => cropAndResize(tf.tensor3d(p, shapes[i], 'int32'))).data()));
    const onWasm = await crops();
    await tf.setBackend('cpu');
    let onCpu: Awaited<ReturnType<typeof crops>>;
    try {
      onCpu = await crops();
    } finally {
      await useTestBackend();
    }
    onWasm.forEach((w, i) => {
      expect(onCpu[i].length).toBe(CROP_LENGTH);
      let worst = 0;
      for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j] - onCpu[i][j]));
      expect(worst, `image ${shapes[i].join('×')}`).toBeLessThan(0.01);
    });
  });
});

describe('cropTensor', () => {
  it('turns crop pixels into the crop tensor and refuses pixels of another size', async () => {
    const pixels = Float32Array.from({ length: CROP_LENGTH }, (_, i) => i % 256);
    const crop = cropTensor(pixels);
    expect(crop.shape).toEqual([PREPROCESS.imageSize, PREPROCESS.imageSize, 3]);
    expect(await crop.data()).toEqual(pixels);
    crop.dispose();
    const tensor = tf.zeros([224, 224, 3]) as tf.Tensor3D;
    expect(cropTensor(tensor)).toBe(tensor);
    tensor.dispose();
    expect(() => cropTensor(new Float32Array(100))).toThrow(/150528/);
  });
});
