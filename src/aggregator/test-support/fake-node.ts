import { assignedRows } from "../../core/data/assignment.js";
import type { DatasetSplit } from "../../core/data/dataset.js";
import { toBatch } from "../../core/data/task.js";
import { referenceKernels } from "../../core/linalg/reference-kernels.js";
import { createModel } from "../../core/models/create-model.js";
import { LocalTrainer } from "../../core/train/local-trainer.js";
import { nodeRng } from "../../core/train/node-rng.js";
import type { RoundReport } from "../../core/train/round-report.js";
import type { NodeId } from "../../core/units.js";
import type { ProtocolMessage, SetupMessage, StopMessage } from "../../protocol/index.js";
import { connectFramed, type FramedConnection, type Received } from "../../transport/index.js";

/** What a fake node does with a round: answer, or misbehave. */
export type Behaviour =
  | "answer"
  | "nan"
  | "silent"
  | "close"
  | "wrong-length"
  | { readonly raw: Uint8Array };

export interface FakeNodeOptions {
  readonly id: NodeId;
  readonly token?: string;
  readonly split: DatasetSplit;
  /** Per round (1, 2, ...): what to do; default "answer". */
  readonly behave?: (round: number) => Behaviour;
}

/**
 * A node in the test process: registers, trains with the core LocalTrainer on its assigned rows
 * (seeded as the simulator's node), and can misbehave on chosen rounds. For the aggregator's
 * in-process tests; the real node is src/node/.
 */
export class FakeNode {
  readonly received: ProtocolMessage[] = [];
  readonly errors: string[] = [];
  stop: StopMessage | undefined;
  closedWith: number | undefined;
  private trainer: LocalTrainer | undefined;
  private setup: SetupMessage | undefined;

  private constructor(
    readonly conn: FramedConnection,
    private readonly options: FakeNodeOptions,
  ) {
    conn.onMessage((r) => this.receive(r));
    conn.onClose((c) => {
      this.closedWith = c.code;
    });
  }

  static async connect(url: string, options: FakeNodeOptions): Promise<FakeNode> {
    const conn = await connectFramed(url);
    const node = new FakeNode(conn, options);
    conn.send({
      type: "register",
      id: options.id,
      token: options.token ?? "",
      capabilities: { float32Vectors: false, sharePreview: false },
      software: "fake node",
    });
    return node;
  }

  /** Resolves when the connection has closed. */
  closed(): Promise<number> {
    return new Promise((resolve) => this.conn.onClose((c) => resolve(c.code)));
  }

  private receive(r: Received): void {
    if (!r.ok) {
      this.errors.push(r.error.message);
      return;
    }
    const m = r.message;
    this.received.push(m);
    switch (m.type) {
      case "setup":
        this.start(m);
        return;
      case "round-start": {
        const behaviour = this.options.behave?.(m.order.round) ?? "answer";
        const report = this.trainer!.runRound(m.order);
        this.answer(m.runId, report, behaviour);
        return;
      }
      case "stop":
        this.stop = m;
        return;
      case "error":
        this.errors.push(`[${m.code}] ${m.message}`);
        return;
      default:
        return;
    }
  }

  private start(setup: SetupMessage): void {
    this.trainer?.dispose();
    this.setup = setup;
    const { split } = this.options;
    const rows = assignedRows(split.train.labels, setup.data);
    const batch = toBatch(split.train, setup.data.task, rows);
    const model = createModel(setup.model, batch.dim, referenceKernels);
    this.trainer = new LocalTrainer({
      model,
      data: batch,
      eta: setup.eta,
      ...(setup.batchSize === "full"
        ? {}
        : { sgd: { batchSize: setup.batchSize, carryOver: setup.adaptiveTau } }),
      rng: nodeRng(setup.seed, setup.data.nodeIndex),
      estimates: setup.adaptiveTau, // as src/node/node-run.ts
    });
    this.conn.send({
      type: "ready",
      runId: setup.runId,
      dataSize: batch.rows,
      labelHistogram: [],
    });
  }

  private answer(runId: string, report: RoundReport, behaviour: Behaviour): void {
    if (behaviour === "silent") return;
    if (behaviour === "close") {
      this.conn.terminate();
      return;
    }
    if (typeof behaviour === "object") {
      // Garbage straight onto the socket, past the encoder.
      (this.conn as unknown as { socket: { send(b: Uint8Array): void } }).socket.send(
        behaviour.raw,
      );
      return;
    }
    let r = report;
    if (behaviour === "nan") {
      const weights = report.weights.slice();
      weights[0] = Number.NaN;
      r = { ...report, weights };
    } else if (behaviour === "wrong-length") {
      r = { ...report, weights: report.weights.subarray(1) };
    }
    this.conn.send({ type: "round-result", runId, report: r });
  }

  get modelSize(): number | undefined {
    return this.setup?.modelSize;
  }
}
