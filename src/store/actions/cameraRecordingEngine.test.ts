import { beforeEach, describe, expect, it } from 'vitest';
import type { CameraController } from '../../capture/cameraController';
import { BASE_MODEL_FOLDERS, baseChoice } from '../../ml/multiBase';
import { useTestBackend } from '../../test/backend';
import { readBaseFiles } from '../../test/modelFiles';
import { fakeExtractor, freshPage, useExtractor } from '../../test/storeHarness';
import { getState, setState } from '../appStore';
import { runtime } from '../runtime';
import { closeWebcam, openWebcam, setRecordingSettings } from './camera';
import { switchBases } from './engine';
import { askNewProject, confirmReplace } from './project';
import { startRecording, stopRecording } from './recording';

/**
 * The camera, recording and engine actions in Node: a fake camera controller stands in for getUserMedia (its `open`
 * resolves when the test says), so the races a person can cause are played out exactly.
 */
(globalThis as unknown as { navigator?: unknown }).navigator ??= { mediaDevices: { enumerateDevices: async () => [] } };

function fakeCamera() {
  const pending: (() => void)[] = [];
  const cam = {
    opens: 0,
    closes: 0,
    current: null as MediaStream | null,
    open: () => {
      cam.opens++;
      return new Promise<MediaStream>((resolve) => pending.push(() => resolve({} as MediaStream)));
    },
    close: () => {
      cam.closes++;
    },
    grant: () => pending.shift()?.(),
  };
  runtime.camera = cam as unknown as CameraController;
  return cam;
}

const errors = () => getState().ui.errors.map((e) => e.message);

beforeEach(async () => {
  await freshPage();
  useExtractor(fakeExtractor());
});

describe('camera', () => {
  it('two clicks on Webcam while the permission prompt is up open one stream, in the card clicked last', async () => {
    const cam = fakeCamera();
    const [first, second] = getState().classes;
    const a = openWebcam(first.id);
    const b = openWebcam(second.id);
    cam.grant();
    await Promise.all([a, b]);
    expect(cam.opens).toBe(1);
    expect(getState().camera).toEqual(expect.objectContaining({ open: true, starting: false, classId: second.id }));
    expect(errors()).toEqual([]);
  });

  it('closed while the permission prompt is up: it stays closed when the stream arrives, and says nothing', async () => {
    const cam = fakeCamera();
    const opening = openWebcam(getState().classes[0].id);
    closeWebcam();
    cam.grant();
    await opening;
    expect(getState().camera).toEqual(expect.objectContaining({ open: false, starting: false, classId: null }));
    expect(errors()).toEqual([]);
  });

  it('recording settings typed or read are clamped, never NaN', () => {
    setRecordingSettings({ fps: Number.NaN, delaySec: -3, durationSec: 999 });
    expect(getState().camera.settings).toEqual({ fps: 10, delaySec: 0, durationSec: 60 });
    setRecordingSettings({ fps: 99.6 });
    expect(getState().camera.settings.fps).toBe(30);
  });
});

describe('camera and a new project', () => {
  it('New project closes the camera, and the page says so (no stale "open" with no stream)', async () => {
    const cam = fakeCamera();
    const opening = openWebcam(getState().classes[0].id);
    cam.grant();
    await opening;
    expect(getState().camera.open).toBe(true);
    askNewProject();
    await confirmReplace();
    expect(getState().camera).toEqual(expect.objectContaining({ open: false, starting: false, recording: false, classId: null }));
    expect(cam.closes).toBeGreaterThan(0);
  });
});

describe('recording', () => {
  it('starts only in the card that shows the camera, and stops', async () => {
    const cam = fakeCamera();
    const [first, second] = getState().classes;
    startRecording(first.id);
    expect(getState().camera.recording).toBe(false); // camera not open
    const opening = openWebcam(first.id);
    cam.grant();
    await opening;
    startRecording(second.id);
    expect(getState().camera.recording).toBe(false); // the camera is in the other card
    startRecording(first.id);
    expect(getState().camera.recording).toBe(true);
    expect(runtime.recording?.stopAt).toBe(Infinity);
    stopRecording();
    expect(getState().camera.recording).toBe(false);
    expect(runtime.recording).toBeNull();
  });

  it('a fixed-duration click stops by itself after the duration; closing the camera stops recording', async () => {
    const cam = fakeCamera();
    const cls = getState().classes[0];
    const opening = openWebcam(cls.id);
    cam.grant();
    await opening;
    setRecordingSettings({ durationSec: 2, fps: 5 });
    startRecording(cls.id, true);
    const run = runtime.recording!;
    expect(run.stopAt - run.startAt).toBeCloseTo(2000, 6);
    expect(run.intervalMs).toBe(200);
    closeWebcam();
    expect(getState().camera.recording).toBe(false);
    expect(cam.closes).toBe(1);
  });
});

describe('engine', () => {
  it('refuses to change the image model while training, and leaves the engine ready', async () => {
    setState((s) => ({ training: { ...s.training, phase: 'training' } }));
    await switchBases('v1-025');
    expect(errors().join(' ')).toMatch(/Wait for training to finish/);
    expect(getState().ui.engine.status).toBe('ready');
    expect(runtime.extractor?.base.id).toBe('fake');
  });

  it('a switch that fails on the backend in use says the image model was not changed, not to remove a ?backend= nobody typed', async () => {
    // The fastest base's real files, as if downloaded already, loaded on WASM; the backend in use is one this process
    // cannot start.
    await useTestBackend();
    for (const base of baseChoice('v1-025').bases) runtime.baseFiles.set(base.id, await readBaseFiles(BASE_MODEL_FOLDERS[base.id]));
    setState((s) => ({ ui: { ...s.ui, engine: { ...s.ui.engine, backend: 'webgl', inWorker: false } } }));
    await switchBases('v1-025');
    const said = errors().join(' ');
    expect(said).toMatch(/The image model was not changed: it could not run on the webgl backend in use \(.+\)\. The image model you had stays in use\./);
    expect(said).not.toMatch(/\?backend=/);
    expect(runtime.extractor?.base.id).toBe('fake');
    expect(getState().ui.engine.status).toBe('ready');
  });
});
