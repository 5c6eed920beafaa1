import type { DatasetSplit } from "../core/data/dataset.js";
import { loadDataset } from "../datasets/load-dataset.js";
import { MAX_NODE_NAME_CHARS } from "../protocol/index.js";
import { checkNodeName } from "./default-node-name.js";
import { EdgeNode, type EdgeNodeOptions } from "./edge-node.js";
import type { LoadSplit } from "./node-data.js";
import type { NodeExit } from "./node-exit.js";

/** The most node clients one process runs (`fedtau node --count`). */
export const MAX_NODE_COUNT = 10_000;

export interface NodeGroupOptions extends Omit<EdgeNodeOptions, "id"> {
  /** The nodes are named BASE-1 .. BASE-K. */
  readonly baseName: string;
  readonly count: number;
}

/** BASE-1 .. BASE-K; throws when K is out of range or a name would not be a valid node name. */
export function groupNodeNames(baseName: string, count: number): string[] {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_NODE_COUNT)) {
    throw new RangeError(`--count needs an integer from 1 to ${MAX_NODE_COUNT}, got ${count}`);
  }
  const longest = `${baseName}-${count}`;
  if (longest.length > MAX_NODE_NAME_CHARS) {
    throw new RangeError(
      `--name "${baseName}" is too long for --count ${count}: "${longest}" has over ${MAX_NODE_NAME_CHARS} characters`,
    );
  }
  return Array.from({ length: count }, (_, i) => checkNodeName(`${baseName}-${i + 1}`));
}

/** One load per data set spec for every node of the process (each then takes its own rows). */
export function sharedLoadSplit(load: LoadSplit = (spec) => loadDataset(spec)): LoadSplit {
  const loaded = new Map<string, Promise<DatasetSplit>>();
  return (spec) => {
    let p = loaded.get(spec);
    if (p === undefined) {
      p = load(spec);
      loaded.set(spec, p);
      // A failed load is tried again by the next node that asks.
      p.catch(() => {
        if (loaded.get(spec) === p) loaded.delete(spec);
      });
    }
    return p;
  };
}

/**
 * K edge nodes in one process (`fedtau node --count K`), for load tests: each is a full EdgeNode
 * with its own connection, registration, data part (the aggregator gives each its node index)
 * and trainer; they share the loaded data set and the kernels. `run()` resolves once every node
 * has ended: code 0 if all ended normally, else the first non-zero exit.
 */
export class NodeGroup {
  readonly nodes: readonly EdgeNode[];

  constructor(options: NodeGroupOptions) {
    const { baseName, count, ...common } = options;
    const loadSplit = sharedLoadSplit(common.loadSplit);
    this.nodes = groupNodeNames(baseName, count).map(
      (id) => new EdgeNode({ ...common, id, loadSplit }),
    );
  }

  async run(): Promise<NodeExit> {
    const exits = await Promise.all(this.nodes.map((n) => n.run()));
    const failed = exits.filter((e) => e.code !== 0);
    if (failed.length === 0) {
      return { code: 0, message: `${exits.length} nodes ended: ${exits[0]?.message ?? ""}` };
    }
    const first = failed[0];
    return {
      code: first.code,
      message: `${failed.length} of ${exits.length} nodes failed; the first: ${first.message}`,
    };
  }

  /** Stops every node (the operator's Ctrl-C). */
  stop(message = "stopped"): void {
    for (const n of this.nodes) n.stop(message);
  }
}
