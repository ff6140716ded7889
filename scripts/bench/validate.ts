import type { Plan } from './phases';

/**
 * Checks that a bench result is complete and well-formed: every number that should be there is a finite number,
 * every stage ran the planned amount of work and nothing reached the network. Timings are never judged.
 * Returns the problems found (empty = fine).
 */
export function validate(result: unknown, plan: Plan): string[] {
  const problems: string[] = [];
  const json = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
  const get = (p: string): unknown => p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), json);
  const finite = (p: string, min = 0) => {
    const v = get(p);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) problems.push(`${p} = ${JSON.stringify(v)}, expected a number ≥ ${min}`);
  };
  const equal = (p: string, want: unknown) => {
    if (get(p) !== want) problems.push(`${p} = ${JSON.stringify(get(p))}, expected ${JSON.stringify(want)}`);
  };
  const nTrain = 3 * plan.trainPerClass;
  finite('machine.loadavg.start.0');
  equal('network.blockedCount', 0);
  equal('tm.embedBatch1.n', 3 * plan.tmAddExamplePerClass);
  equal('tm.trainExamples', nTrain);
  equal('tm.embedBatch16.n', 3 * plan.tmBatchedPerClass);
  finite('tm.vectorConsistency.minCosine');
  finite('glance.wasm.tmBase.imagesPerSec');
  equal('tm.training.epochs', plan.tmEpochs ?? 50);
  for (const p of ['tm.embedBatch1.imagesPerSec', 'tm.embedBatch16.imagesPerSec', 'tm.training.ms', 'tm.training.testAcc', 'tm.live.predictionsPerSec', 'tm.live.latency.p50', 'tm.live.latency.p95', 'tm.memory.after.numTensors', 'tm.heap.deltaBytes']) finite(p);
  for (const b of ['wasm', 'webgl']) {
    equal(`glance.${b}.init.backend`, b);
    equal(`glance.${b}.embedBatchN.n`, b === 'wasm' ? nTrain + 3 * plan.testPerClass : 3 * plan.webglBatchedPerClass);
    for (const p of ['embedBatch1.imagesPerSec', 'embedBatchN.imagesPerSec', 'live.predictionsPerSec', 'live.latency.p50', 'live.latency.p95', 'memory.after.numTensors', 'heap.deltaBytes']) finite(`glance.${b}.${p}`);
    finite(`glance.${b}.memory.predictions`, 1);
    const runs = get(`glance.${b}.training`);
    if (!Array.isArray(runs) || runs.length < 2) problems.push(`glance.${b}.training: expected main-thread and worker runs`);
    else runs.forEach((_, i) => {
      finite(`glance.${b}.training.${i}.ms`);
      finite(`glance.${b}.training.${i}.testAcc`);
      equal(`glance.${b}.training.${i}.epochs`, plan.epochs ?? 30);
    });
  }
  if (get('cold') !== null) {
    finite('cold.tm.firstPredictionMs', 1);
    for (const b of plan.coldBackends) finite(`cold.glance.${b ?? 'auto'}.firstPredictionMs`, 1);
  }
  const rows = get('table');
  if (!Array.isArray(rows) || rows.length < 10) problems.push('table: missing rows');
  const goals = get('targets');
  if (!Array.isArray(goals) || goals.length !== 9) problems.push('targets: expected 9');
  finite('glance.ui.savedPerSec');
  if (get('glance.growth') !== null) {
    equal('glance.growth.images', plan.growth.classes * plan.growth.perClass);
    for (const p of ['lastVsFirst', 'savedMs', 'reloadMs', 'longTasks.longestMs']) finite(`glance.growth.${p}`);
  }
  return problems;
}
