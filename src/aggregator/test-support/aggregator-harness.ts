import type { DatasetSplit } from "../../core/data/dataset.js";
import type { RoundEvent } from "../../core/federation/round-event.js";
import type { RunResult } from "../../core/federation/run-result.js";
import { referenceKernels } from "../../core/linalg/reference-kernels.js";
import type { LogEntry } from "../../protocol/index.js";
import { Aggregator, type AggregatorOptions } from "../aggregator.js";
import type { AggregatorEvent } from "../aggregator-events.js";
import type { LearningSetup } from "../learning-setup.js";
import type { RunSummary } from "../run-summary.js";
import { type Behaviour, FakeNode } from "./fake-node.js";
import { syntheticSplit } from "./synthetic-split.js";

/** An aggregator started by the harness, with what it said: its log and its event stream. */
export interface Harnessed {
  readonly aggregator: Aggregator;
  readonly log: LogEntry[];
  readonly events: AggregatorEvent[];
  /** The round events, in order (filtered from `events`). */
  readonly rounds: RoundEvent[];
  /** Each finished run's summary and the engine's result (filtered from `events`). */
  readonly ends: { readonly summary: RunSummary; readonly result: RunResult }[];
}

export interface JoinOptions {
  readonly token?: string;
  /** Per round (1, 2, ...): what the node does; default "answer". */
  readonly behave?: (round: number) => Behaviour;
}

/**
 * The scaffolding of the aggregator's in-process tests: aggregators on a free port over the
 * synthetic data set (reference kernels, short deadlines) that record their log and events, and
 * fake nodes that join them; `cleanup()` (in afterEach) ends them all.
 */
export class AggregatorHarness {
  readonly split: DatasetSplit;
  /** Every fake node joined so far, in the order they joined. */
  readonly nodes: FakeNode[] = [];
  private readonly open: Aggregator[] = [];

  /** `defaults` override the harness's own for every start (e.g. the test file's setup). */
  constructor(private readonly defaults: Partial<AggregatorOptions> & { setup: LearningSetup }) {
    this.split = defaults.data ?? syntheticSplit();
  }

  /** Starts an aggregator (runs begun) with the defaults, then `options`. */
  async start(options: Partial<AggregatorOptions> = {}): Promise<Harnessed> {
    const log: LogEntry[] = [];
    const events: AggregatorEvent[] = [];
    const rounds: RoundEvent[] = [];
    const ends: { summary: RunSummary; result: RunResult }[] = [];
    const given = options.onEvent ?? this.defaults.onEvent;
    const aggregator = await Aggregator.start({
      nodes: 3,
      runs: 1,
      data: this.split,
      kernels: referenceKernels,
      deadlineFloorMs: 400,
      roundTimeoutMs: 5000,
      log: (e) => log.push(e),
      ...this.defaults,
      ...options,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "round") rounds.push(e.event);
        if (e.type === "run-end") ends.push({ summary: e.summary, result: e.result });
        given?.(e);
      },
    });
    this.open.push(aggregator);
    return { aggregator, log, events, rounds, ends };
  }

  /** start(options), then a fake node per name joins, in order; `behave` per node and round. */
  async startWith(
    names: readonly string[],
    options: Partial<AggregatorOptions> = {},
    behave?: (name: string, round: number) => Behaviour,
  ): Promise<Harnessed> {
    const started = await this.start(options);
    for (const name of names) {
      await this.join(started.aggregator, name, {
        ...(behave === undefined ? {} : { behave: (round: number) => behave(name, round) }),
      });
    }
    return started;
  }

  /** A fake node that registers with `aggregator` under `name`. */
  async join(aggregator: Aggregator, name: string, options: JoinOptions = {}): Promise<FakeNode> {
    const node = await FakeNode.connect(aggregator.url, {
      id: name,
      split: this.split,
      ...options,
    });
    this.nodes.push(node);
    return node;
  }

  /** Drops every fake node's connection at once (as nodes whose process died). */
  dropNodes(): void {
    for (const n of this.nodes.splice(0)) n.conn.terminate();
  }

  async cleanup(): Promise<void> {
    this.dropNodes();
    for (const a of this.open.splice(0)) await a.close();
  }
}

/** The round events of a run's event stream, for `onEvent`: calls `f` with each. */
export function onRounds(f: (event: RoundEvent) => void): (event: AggregatorEvent) => void {
  return (e) => {
    if (e.type === "round") f(e.event);
  };
}
