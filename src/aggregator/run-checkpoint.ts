import { rmSync } from "node:fs";
import type { EngineSnapshot } from "../core/federation/engine-snapshot.js";
import type { NodeId } from "../core/units.js";
import type { RunId } from "../protocol/index.js";
import { type AggregatorCheckpoint, type CheckpointPlan, checkpointPathOf } from "./checkpoint.js";
import { syncPath, writeCheckpointFile } from "./checkpoint-file.js";
import type { LearningSetup } from "./learning-setup.js";
import type { RunFiles } from "./run-files.js";

/** What is known of a run when it starts. */
export interface RunIdentity {
  readonly run: number;
  readonly runId: RunId;
  readonly setup: LearningSetup;
  readonly participants: readonly NodeId[];
  readonly startedAt: Date;
}

/**
 * What changes from round to round besides the engine's snapshot (which holds the rounds run and
 * the latest costs: they are read from it, never kept beside it).
 */
export interface RunProgress {
  readonly plan: CheckpointPlan;
  readonly wallSeconds: number;
  readonly dataSizes: ReadonlyMap<NodeId, number>;
}

/**
 * Saves a run's checkpoint (OUT/checkpoint.json) after every round: first rounds.jsonl is synced
 * to disk (the checkpoint never counts a round the log could lose), then the checkpoint is
 * written to a temporary file, synced and renamed over the old one.
 */
export class RunCheckpoint {
  readonly path: string;

  constructor(
    out: string,
    private readonly files: RunFiles,
    private readonly identity: RunIdentity,
  ) {
    this.path = checkpointPathOf(out);
  }

  /**
   * Removes a checkpoint an earlier aggregator left in the directory (a new aggregator's first
   * run: until its first round is saved, --resume must not find the old run).
   */
  discardOlder(): void {
    rmSync(this.path, { force: true });
  }

  async save(engine: EngineSnapshot, progress: RunProgress): Promise<void> {
    const { identity: id, files } = this;
    const checkpoint: AggregatorCheckpoint = {
      savedAt: new Date().toISOString(),
      plan: progress.plan,
      run: {
        run: id.run,
        runId: id.runId,
        setup: id.setup,
        participants: id.participants,
        startedAt: id.startedAt.toISOString(),
        wallSeconds: progress.wallSeconds,
        dataSizes: Object.fromEntries(progress.dataSizes),
      },
      log: { bytes: files.bytes, lines: files.lines },
      engine,
    };
    await syncPath(files.paths.rounds);
    await writeCheckpointFile(this.path, checkpoint);
  }
}
