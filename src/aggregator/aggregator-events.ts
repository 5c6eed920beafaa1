import type { RoundEvent } from "../core/federation/round-event.js";
import type { RunResult } from "../core/federation/run-result.js";
import type { NodeId } from "../core/units.js";
import type { Preview, ReadyMessage, RunId, StopReasonName } from "../protocol/index.js";
import type { LearningSetup } from "./learning-setup.js";
import type { RunSummary } from "./run-summary.js";
import type { SampleItem } from "./test-sample.js";

/** A node as the aggregator knows it, kept after it disconnects (then `online` is false). */
export interface NodeStatus {
  readonly id: NodeId;
  readonly online: boolean;
  /** D_i from its latest Ready; null before. */
  readonly dataSize: number | null;
  /** Samples per class from its latest Ready; null before (empty for regression data). */
  readonly labelHistogram: readonly number[] | null;
  /** A few of its samples, only when the node opted in (`--share-preview`). */
  readonly preview: Preview | null;
  /** Seconds its latest local updates took (its latest RoundResult), null before. */
  readonly lastLocalSeconds: number | null;
  /** The communication delay added to its messages now, ms. */
  readonly delayMs: number;
}

/**
 * What the aggregator tells an observer (`onEvent`), e.g. the dashboard: runs starting and
 * ending with their setup, every round with the global model's verdicts on the test sample, and
 * every change of a node. The protocol log goes to `log` as before.
 */
export type AggregatorEvent =
  | {
      readonly type: "run-start";
      readonly runId: RunId;
      readonly run: number;
      readonly setup: LearningSetup;
      /** The run's time budget in seconds; undefined for fixed tau with a round limit. */
      readonly budgetSeconds: number | undefined;
      readonly nodes: readonly NodeId[];
      /** The test samples the verdicts of this run's rounds are about (none without watchSample). */
      readonly sample: readonly SampleItem[];
      /** Wall clock, ms since 1970. */
      readonly at: number;
    }
  | {
      readonly type: "round";
      readonly runId: RunId;
      readonly run: number;
      readonly event: RoundEvent;
      /** The global model's answer on each test sample after this round; null when none. */
      readonly verdicts: readonly string[] | null;
    }
  | {
      readonly type: "run-end";
      readonly runId: RunId;
      readonly run: number;
      readonly reason: StopReasonName;
      readonly summary: RunSummary;
      readonly result: RunResult;
      readonly at: number;
    }
  | { readonly type: "node"; readonly node: NodeStatus }
  | {
      /** The aggregator paused (no run until resumed) or resumed. */
      readonly type: "paused";
      readonly paused: boolean;
    };

/**
 * Every node the aggregator has seen, by name, in first-registration order: the status each
 * event reports, updated at registration, Ready, each result and disconnection.
 */
export class NodeBoard {
  private readonly nodes = new Map<NodeId, NodeStatus>();

  constructor(private readonly emit: (event: AggregatorEvent) => void) {}

  list(): NodeStatus[] {
    return [...this.nodes.values()];
  }

  online(id: NodeId, delayMs: number): void {
    this.update(id, { online: true, delayMs });
  }

  offline(id: NodeId): void {
    if (this.nodes.has(id)) this.update(id, { online: false });
  }

  ready(id: NodeId, ready: Pick<ReadyMessage, "dataSize" | "labelHistogram" | "preview">): void {
    this.update(id, {
      dataSize: ready.dataSize,
      labelHistogram: ready.labelHistogram,
      preview: ready.preview ?? null,
    });
  }

  localSeconds(id: NodeId, seconds: number): void {
    this.update(id, { lastLocalSeconds: seconds });
  }

  /** Sets every node's delay from `delayOf`, reporting those that changed. */
  delays(delayOf: (id: NodeId) => number): void {
    for (const node of this.nodes.values()) {
      const ms = delayOf(node.id);
      if (ms !== node.delayMs) this.update(node.id, { delayMs: ms });
    }
  }

  private update(id: NodeId, patch: Partial<Omit<NodeStatus, "id">>): void {
    const node: NodeStatus = {
      ...(this.nodes.get(id) ?? {
        id,
        online: true,
        dataSize: null,
        labelHistogram: null,
        preview: null,
        lastLocalSeconds: null,
        delayMs: 0,
      }),
      ...patch,
    };
    this.nodes.set(id, node);
    this.emit({ type: "node", node });
  }
}
