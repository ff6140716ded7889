import * as tf from '@tensorflow/tfjs';
import { UnsupportedLayerError, runOp, type FoldedModel, type FoldedOp, type FoldedStep } from './foldedLayers';
import { concatShards, type ModelFiles } from './modelFiles';

/**
 * Reads a converted TF-Hub MobileNet graph model (the TF-Hub v1 α0.25 base) as the same step list `foldLayersModel`
 * makes of a Keras model: its batch norms are already folded into the weights, so each `_FusedConv2D`, or
 * `DepthwiseConv2dNative` → `BiasAdd` → `Relu6`, is one conv step; the `hub_input` Mul/Sub become an affine step.
 * Weights are decoded from the files, so no GraphModel is needed. This lets the base be rebuilt as standard layers
 * (tmExport.ts) for libraries that only load layers models.
 */

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { s?: string; list?: { i?: string[]; s?: string[] }; b?: boolean }>;
}

function attrString(node: GraphNode, key: string): string {
  const s = node.attr?.[key]?.s;
  return s ? atob(s) : '';
}

function strides(node: GraphNode): [number, number] {
  const list = (node.attr?.strides?.list?.i ?? ['1', '1', '1', '1']).map(Number);
  return [list[1], list[2]];
}

function padding(node: GraphNode): 'same' | 'valid' {
  const p = attrString(node, 'padding');
  if (p === 'SAME') return 'same';
  if (p === 'VALID') return 'valid';
  throw new UnsupportedLayerError(`${node.name}: padding ${p}`);
}

function fusedActivation(node: GraphNode): 'linear' | 'relu' | 'relu6' {
  const ops = (node.attr?.fused_ops?.list?.s ?? []).map((s) => atob(s));
  if (ops[0] !== 'BiasAdd' || ops.length > 2) throw new UnsupportedLayerError(`${node.name}: fused ops ${ops.join(', ')}`);
  if (ops.length === 1) return 'linear';
  if (ops[1] === 'Relu6') return 'relu6';
  if (ops[1] === 'Relu') return 'relu';
  throw new UnsupportedLayerError(`${node.name}: fused ${ops[1]}`);
}

/**
 * Compiles the graph up to the node named `stopAt`. Owns the tensors it keeps (`dispose`).
 * @throws UnsupportedLayerError for an op it does not know.
 */
export function foldGraphModel(files: ModelFiles, stopAt: string): FoldedModel {
  const specs = files.modelJson.weightsManifest.flatMap((g) => g.weights);
  const named = tf.io.decodeWeights(concatShards(files), specs);
  const weights: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    weights.push(t);
    return t;
  };
  const weight = (name: string): tf.Tensor => {
    const t = named[name];
    if (!t) throw new UnsupportedLayerError(`no weight ${name}`);
    return t;
  };
  try {
    const nodes = (files.modelJson.modelTopology as { node?: GraphNode[] }).node ?? [];
    const { input, steps } = compileNodes(nodes, stopAt, weight, keep);
    return {
      input,
      output: stopAt,
      steps,
      weights,
      apply: (x) =>
        tf.tidy(() => {
          const values = new Map<string, tf.Tensor>([[input, x]]);
          for (const step of steps) values.set(step.name, runOp(step.op, step.inputs.map((n) => values.get(n) as tf.Tensor)));
          return values.get(stopAt) as tf.Tensor;
        }),
      dispose: () => tf.dispose(weights),
    };
  } catch (err) {
    tf.dispose(weights);
    throw err;
  } finally {
    // Everything not kept (e.g. the ImageNet logits) is freed now.
    tf.dispose(Object.values(named).filter((t) => !weights.includes(t)));
  }
}

function compileNodes(
  nodes: GraphNode[], stopAt: string, weight: (name: string) => tf.Tensor, keep: <T extends tf.Tensor>(t: T) => T,
): { input: string; steps: FoldedStep[] } {
  const consts = new Set(nodes.filter((n) => n.op === 'Const').map((n) => n.name));
  const consumers = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  const steps: FoldedStep[] = [];
  const rename = new Map<string, string>();
  const resolve = (n: string) => rename.get(n) ?? n;
  let input = '';
  let channels = 3;
  // A BiasAdd or Relu6 that only follows a conv step joins it (the step takes the later node's name).
  const mergeable = (from: string): FoldedStep | null => {
    const last = steps[steps.length - 1];
    return last && last.name === from && (consumers.get(from) ?? 0) === 1 && (last.op.kind === 'conv' || last.op.kind === 'depthwise') ? last : null;
  };
  for (const node of nodes) {
    if (steps.some((s) => s.name === stopAt)) break;
    if (node.op === 'Const') continue;
    const ins = (node.input ?? []).filter((i) => !consts.has(i)).map(resolve);
    const constIns = (node.input ?? []).filter((i) => consts.has(i));
    let op: FoldedOp;
    switch (node.op) {
      case 'Placeholder': {
        input = node.name;
        continue;
      }
      case 'Mul':
      case 'Sub': {
        const c = weight(constIns[0]);
        if (c.size !== 1 || ins.length !== 1) throw new UnsupportedLayerError(`${node.name}: ${node.op} by a non-scalar`);
        const v = c.dataSync()[0];
        op = node.op === 'Mul'
          ? { kind: 'affine', scale: keep(tf.fill([channels], v) as tf.Tensor1D), shift: keep(tf.zeros([channels]) as tf.Tensor1D) }
          : { kind: 'affine', scale: keep(tf.ones([channels]) as tf.Tensor1D), shift: keep(tf.fill([channels], -v) as tf.Tensor1D) };
        break;
      }
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative': {
        const kernel = keep(weight(constIns[0]) as tf.Tensor4D);
        const conv = node.op === '_FusedConv2D';
        const out = conv ? kernel.shape[3] : kernel.shape[2] * kernel.shape[3];
        const bias = keep((conv ? weight(constIns[1]) : tf.zeros([out])) as tf.Tensor1D);
        channels = out;
        op = { kind: conv ? 'conv' : 'depthwise', kernel, bias, strides: strides(node), padding: padding(node), activation: conv ? fusedActivation(node) : 'linear' };
        break;
      }
      case 'BiasAdd':
      case 'Relu6': {
        const prev = mergeable(ins[0]);
        const prevOp = prev?.op;
        if (!prev || !prevOp || (prevOp.kind !== 'conv' && prevOp.kind !== 'depthwise') || prevOp.activation !== 'linear') {
          throw new UnsupportedLayerError(`${node.name}: ${node.op} not after a conv`);
        }
        if (node.op === 'BiasAdd') prevOp.bias = keep(tf.add(prevOp.bias, weight(constIns[0])) as tf.Tensor1D);
        else prevOp.activation = 'relu6';
        rename.set(prev.name, node.name);
        prev.name = node.name;
        continue;
      }
      case 'Mean': {
        const axes = Array.from(weight(constIns[0]).dataSync());
        if (axes.join() !== '1,2') throw new UnsupportedLayerError(`${node.name}: mean over ${axes.join()}`);
        op = { kind: 'mean' };
        break;
      }
      default:
        throw new UnsupportedLayerError(`${node.name}: ${node.op} is not supported`);
    }
    steps.push({ name: node.name, inputs: ins, op });
  }
  if (!steps.some((s) => s.name === stopAt)) throw new UnsupportedLayerError(`no node named ${stopAt}`);
  return { input, steps };
}
