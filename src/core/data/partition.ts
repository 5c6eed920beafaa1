import type { Rng } from "./rng.js";

/**
 * Which samples each node holds: one index list per node (node 0 first), indices ascending into
 * the training set's stored order.
 */
export type Partition = Uint32Array[];

/** The four data distributions of the demonstration (docs/algorithm.md section 5). */
export type DistributionCase = 1 | 2 | 3 | 4;

function checkNodes(nodes: number): void {
  if (!Number.isInteger(nodes) || nodes < 1) {
    throw new RangeError(`Cannot partition data over ${nodes} nodes: expected a positive integer`);
  }
}

function checkClassLabels(labels: ArrayLike<number>, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isInteger(labels[i])) {
      throw new RangeError(
        `${what} needs integer class labels, but sample ${i} has label ${labels[i]}`,
      );
    }
  }
}

/**
 * Case 1 uniform (sample i to node i mod N), 2 non-uniform (by label: node (label - lo) mod N),
 * 3 replicated (every node holds everything), 4 mixed (labels below the mid-label spread
 * uniformly over the first ceil(min(N, L)/2) nodes, the others by label over the rest).
 *
 * lo and hi are the smallest and largest labels and L = hi - lo + 1, the label range (a label
 * missing from the data still counts; test/fixtures/golden/partition.json pins this). With more
 * nodes than labels (N > L) in cases 2 and 4, a sample aimed at node t goes to the node n with
 * n mod L == t that holds the fewest samples so far, the lowest such n on a tie.
 */
export function casePartition(
  labels: ArrayLike<number>,
  nodes: number,
  kase: DistributionCase,
): Partition {
  checkNodes(nodes);
  const n = labels.length;
  if (kase === 3) {
    // One list for every node: N copies of the whole index would grow with N x n.
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return Array.from({ length: nodes }, () => all);
  }
  const parts: number[][] = Array.from({ length: nodes }, () => []);
  if (kase === 1) {
    for (let i = 0; i < n; i++) parts[i % nodes].push(i);
    return parts.map((p) => Uint32Array.from(p));
  }
  if (kase !== 2 && kase !== 4) {
    throw new RangeError(`Unknown data distribution case ${kase}: expected 1, 2, 3 or 4`);
  }
  checkClassLabels(labels, `Case ${kase} partition`);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, labels[i]);
    hi = Math.max(hi, labels[i]);
  }
  const range = hi - lo + 1;
  const place = (i: number, target: number): void => {
    let node = target;
    if (nodes > range) {
      // The least loaded of target, target + L, target + 2L, ...
      for (let m = target + range; m < nodes; m += range) {
        if (parts[m].length < parts[node].length) node = m;
      }
    }
    parts[node].push(i);
  };
  const m = Math.min(nodes, range);
  const half = Math.ceil(m / 2);
  const mid = (lo + hi) / 2;
  for (let i = 0; i < n; i++) {
    const offset = labels[i] - lo;
    if (kase === 2) place(i, offset % nodes);
    else if (labels[i] < mid) place(i, i % half);
    // With a single label or a single node there are no "remaining nodes": node 0 takes it.
    else place(i, m > half ? (offset % (m - half)) + half : 0);
  }
  return parts.map((p) => Uint32Array.from(p));
}

/**
 * A seeded Dirichlet(alpha) label split (Hsu et al. 2019): for each class, the proportions of its
 * samples going to each node are drawn from Dirichlet(alpha, ..., alpha) and the class's samples,
 * shuffled, are cut accordingly. Small alpha gives each node few classes; large alpha gives every
 * node nearly the global label mix. When there are at least as many samples as nodes, every empty
 * node then takes one random sample from the largest node, so each node has at least one.
 */
export function dirichletPartition(
  labels: ArrayLike<number>,
  nodes: number,
  alpha: number,
  rng: Rng,
): Partition {
  checkNodes(nodes);
  if (!(alpha > 0 && Number.isFinite(alpha))) {
    throw new RangeError(`Dirichlet partition needs a positive finite alpha, got ${alpha}`);
  }
  checkClassLabels(labels, "Dirichlet partition");
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const parts: number[][] = Array.from({ length: nodes }, () => []);
  const share = new Float64Array(nodes);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(byClass.get(label)!);
    let sum = 0;
    for (let k = 0; k < nodes; k++) sum += share[k] = rng.gamma(alpha);
    if (!(sum > 0 && Number.isFinite(sum))) {
      // Every Gamma draw underflowed (tiny alpha): the limit is one node taking the whole class.
      share.fill(0);
      share[rng.int(nodes)] = sum = 1;
    }
    let cum = 0;
    let start = 0;
    for (let k = 0; k < nodes; k++) {
      cum += share[k];
      const end = k === nodes - 1 ? members.length : Math.round((cum / sum) * members.length);
      for (let j = start; j < end; j++) parts[k].push(members[j]);
      start = Math.max(start, end);
    }
  }
  if (labels.length >= nodes) {
    for (let k = 0; k < nodes; k++) {
      if (parts[k].length > 0) continue;
      let donor = 0;
      for (let d = 1; d < nodes; d++) if (parts[d].length > parts[donor].length) donor = d;
      const from = parts[donor];
      const j = rng.int(from.length);
      parts[k].push(from[j]);
      from[j] = from[from.length - 1];
      from.pop();
    }
  }
  return parts.map((p) => Uint32Array.from(p).sort());
}
