import { labelHistogram } from "../core/data/label-histogram.js";
import { casePartition, type DistributionCase } from "../core/data/partition.js";
import { Rng } from "../core/data/rng.js";
import type { RoundEvent } from "../core/federation/round-event.js";
import type { LogEntry } from "../protocol/message-log.js";
import type { Preview } from "../protocol/messages.js";
import type { ControlCommand } from "./control-command.js";
import { DIGIT_BYTES } from "./dashboard-limits.js";
import type {
  ControlOutcome,
  DashboardChange,
  DashboardSettings,
  DashboardSnapshot,
  DashboardSource,
  NodeView,
  RunSetup,
  TestDigit,
} from "./dashboard-source.js";
import { SourceBook } from "./source-book.js";
import { type DigitBank, syntheticDigits } from "./synthetic-digits.js";

export interface FakeSourceOptions {
  readonly nodes?: number;
  /** Wall time between two rounds while playing (default 300 ms). */
  readonly roundIntervalMs?: number;
  /** Wall time between the end of a run and the start of the next (default 1,500 ms). */
  readonly restartDelayMs?: number;
  readonly seed?: number;
  /** Where digits come from (default: synthetic ones). Labels 0..9. */
  readonly digits?: DigitBank;
  readonly testDigits?: number;
  readonly previewDigits?: number;
  /** Simulated seconds of the first run's budget (default 30). */
  readonly budgetSeconds?: number;
  /** Start the first run now and play rounds on the timer (default false: call tick()). */
  readonly autoplay?: boolean;
  /** Wall clock, ms since 1970. */
  readonly now?: () => number;
}

/** Training samples the fake partitions (as the embedded MNIST's 8,000). */
const TRAIN_SAMPLES = 8_000;
/** Simulated seconds of one local update on 1,600 samples, and of a message exchange. */
const STEP_SECONDS = 0.003;
const EXCHANGE_SECONDS = 0.03;
/** Bytes of a frame carrying the SVM's 785 weights as float32. */
const WEIGHT_FRAME_BYTES = 3_172;
/** Gradient divergence per case, relative (case 3: every node holds the same data). */
const DIVERGENCE: Record<DistributionCase, number> = { 1: 0.08, 2: 0.9, 3: 0.0005, 4: 0.5 };

/** A node the fake plays: a NodeView it changes in place and emits a copy of. */
type FakeNode = { -readonly [K in keyof NodeView]: NodeView[K] } & { dataSize: number };

/** Where the fake's current run stands. */
interface FakeRun {
  readonly id: string;
  readonly setup: RunSetup;
  ended: boolean;
  round: number;
  tau: number;
  updates: number;
  spent: number;
  bestLoss: number | null;
  /** Smoothed b / c, which the fake's tau follows. */
  ratio: number | null;
}

/**
 * A stand-in for the aggregator: plausible runs of smooth SVM even/odd on five nodes, one round
 * per tick, with the costs, estimates and tau responding to the controls (more delay, larger b,
 * larger tau; case 2, larger delta). For the dashboard's tests and for developing the page.
 */
export class FakeDashboardSource implements DashboardSource {
  private readonly book: SourceBook;
  private readonly rng: Rng;
  private readonly now: () => number;
  private readonly bank: DigitBank;
  private readonly trainLabels: Uint8Array;
  private readonly nodes: FakeNode[];
  private readonly testDigits: TestDigit[];
  private run: FakeRun | null = null;
  private runCount = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private restartAt: number | null = null;

  constructor(private readonly options: FakeSourceOptions = {}) {
    this.rng = new Rng(options.seed ?? 1);
    this.now = options.now ?? Date.now;
    this.bank = options.digits ?? defaultBank();
    this.trainLabels = new Uint8Array(TRAIN_SAMPLES);
    for (let i = 0; i < TRAIN_SAMPLES; i++) this.trainLabels[i] = this.rng.int(10);
    this.book = new SourceBook({
      case: 1,
      budgetSeconds: options.budgetSeconds ?? 30,
      tauMode: "adaptive",
      delayMs: 0,
      running: true,
    });
    this.nodes = Array.from({ length: options.nodes ?? 5 }, (_, k) => ({
      id: `n${k + 1}`,
      online: true,
      dataSize: 0,
      labelHistogram: [],
      preview: null,
      lastLocalSeconds: null,
      delayMs: 0,
    }));
    this.partition();
    this.testDigits = this.pickTestDigits(options.testDigits ?? 40);
    for (const node of this.nodes) this.emitNode(node);
    this.book.emit({ type: "test-digits", digits: this.testDigits });
    if (options.autoplay) {
      this.startRun();
      this.play();
    }
  }

  snapshot(): DashboardSnapshot {
    return this.book.snapshot();
  }

  subscribe(listener: (change: DashboardChange) => void): () => void {
    return this.book.subscribe(listener);
  }

  private get settings(): DashboardSettings {
    return this.book.settings;
  }

  async control(command: ControlCommand): Promise<ControlOutcome> {
    switch (command.type) {
      case "start":
        if (!this.settings.running) {
          this.setSettings({ running: true });
          if (!this.run || this.run.ended) this.startRun();
        }
        break;
      case "stop":
        this.setSettings({ running: false });
        this.endRun("operator");
        break;
      case "set-case":
        this.setSettings({ case: command.case });
        this.endRun("operator");
        this.partition();
        for (const node of this.nodes) this.emitNode(node);
        if (this.settings.running) this.startRun();
        break;
      case "set-delay": {
        const targets = command.node ? this.nodes.filter((n) => n.id === command.node) : this.nodes;
        if (targets.length === 0) return { ok: false, message: `No node "${command.node}"` };
        if (!command.node) this.setSettings({ delayMs: command.ms });
        for (const node of targets) {
          node.delayMs = command.ms;
          this.emitNode(node);
        }
        break;
      }
      case "set-budget":
        this.setSettings({ budgetSeconds: command.seconds });
        break;
      case "set-tau":
        this.setSettings({ tauMode: command.tau });
        break;
    }
    this.note(`control: ${describe(command)}`);
    return { ok: true };
  }

  /** Plays rounds on the timer. */
  play(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), this.options.roundIntervalMs ?? 300);
    this.timer.unref?.();
  }

  pause(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One step: the next round of the current run, or the next run when one is due. */
  tick(): void {
    if (!this.settings.running) return;
    if (!this.run || this.run.ended) {
      if (this.restartAt !== null && this.now() < this.restartAt) return;
      this.startRun();
      return;
    }
    this.playRound(this.run);
  }

  /** Stops the timer and forgets the listeners. */
  close(): void {
    this.pause();
    this.book.close();
  }

  private emit(change: DashboardChange): void {
    this.book.emit(change);
  }

  private emitNode(node: FakeNode): void {
    this.emit({ type: "node", node: { ...node } });
  }

  private setSettings(patch: Partial<DashboardSettings>): void {
    this.book.setSettings(patch);
  }

  private pushLog(entry: LogEntry): void {
    this.emit({ type: "log", entry });
  }

  private note(text: string, level: "info" | "warn" = "info"): void {
    this.pushLog({ kind: "note", time: this.now(), level, text });
  }

  private partition(): void {
    const parts = casePartition(this.trainLabels, this.nodes.length, this.settings.case);
    const previewCount = this.options.previewDigits ?? 4;
    this.nodes.forEach((node, k) => {
      const histogram = labelHistogram(this.trainLabels, 10, parts[k]);
      node.dataSize = parts[k].length;
      node.labelHistogram = [...histogram];
      node.preview = this.previewOf(histogram, previewCount);
    });
  }

  /** A few digits of the labels a node holds, from the bank. */
  private previewOf(histogram: Uint32Array, count: number): Preview | null {
    if (count === 0) return null;
    const held = [...histogram.keys()].filter((label) => histogram[label] > 0);
    const labels: number[] = [];
    const pixels = new Uint8Array(count * DIGIT_BYTES);
    for (let k = 0; k < count; k++) {
      const want = held[this.rng.int(held.length)];
      const index = this.bankIndexOf(want);
      labels.push(this.bank.labels[index]);
      pixels.set(
        this.bank.pixels.subarray(index * DIGIT_BYTES, (index + 1) * DIGIT_BYTES),
        k * DIGIT_BYTES,
      );
    }
    return { width: 28, height: 28, pixels, labels };
  }

  /** A random digit of the bank with this label (any digit when it has none). */
  private bankIndexOf(label: number): number {
    const n = this.bank.labels.length;
    const from = this.rng.int(n);
    for (let k = 0; k < n; k++) {
      const i = (from + k) % n;
      if (this.bank.labels[i] === label) return i;
    }
    return from;
  }

  private pickTestDigits(count: number): TestDigit[] {
    const n = this.bank.labels.length;
    // Spread over the bank (which may be sorted by label), so every digit appears.
    return Array.from({ length: Math.min(count, n) }, (_, k) => {
      const i = (k * 7_919 + 13) % n;
      return {
        image: this.bank.pixels.slice(i * DIGIT_BYTES, (i + 1) * DIGIT_BYTES),
        truth: this.bank.labels[i] % 2 === 0 ? "even" : "odd",
      };
    });
  }

  private startRun(): void {
    if (this.run && !this.run.ended) this.endRun("operator");
    this.runCount++;
    const run: FakeRun = {
      id: `run-${this.runCount}`,
      setup: {
        model: "svm",
        task: "even-odd",
        case: this.settings.case,
        tauMode: this.settings.tauMode,
        budgetSeconds: this.settings.budgetSeconds,
        nodes: this.nodes.length,
      },
      ended: false,
      round: 0,
      tau: 1,
      updates: 0,
      spent: 0,
      bestLoss: null,
      ratio: null,
    };
    this.run = run;
    this.restartAt = null;
    const { id, setup } = run;
    this.emit({ type: "run-start", run: { id, setup, startedAt: this.now() } });
    for (const node of this.nodes) {
      this.message(node.id, "sent", {
        type: "setup",
        runId: id,
        model: "svm",
        adaptiveTau: setup.tauMode === "adaptive",
      });
    }
  }

  private endRun(reason: string): void {
    const run = this.run;
    if (!run || run.ended) return;
    run.ended = true;
    const at = this.now();
    this.restartAt = at + (this.options.restartDelayMs ?? 1_500);
    for (const node of this.nodes) {
      this.message(node.id, "sent", {
        type: "stop",
        runId: run.id,
        reason: reason === "budget-spent" ? "budget-spent" : "operator",
      });
    }
    this.emit({ type: "run-end", runId: run.id, at, reason });
  }

  private playRound(run: FakeRun): void {
    const kase = run.setup.case;
    const mode = this.settings.tauMode;
    const budget = this.settings.budgetSeconds;
    run.round++;
    const tau = run.tau;
    const noise = () => 1 + 0.08 * this.rng.normal();

    let maxLocal = 0;
    let wall = 0;
    for (const node of this.nodes) {
      this.message(node.id, "sent", { type: "round-start", runId: run.id, round: run.round, tau });
      const local = tau * STEP_SECONDS * (node.dataSize / 1_600) * Math.abs(noise());
      const exchange = EXCHANGE_SECONDS * Math.abs(noise()) + (2 * node.delayMs) / 1_000;
      node.lastLocalSeconds = local;
      maxLocal = Math.max(maxLocal, local);
      wall = Math.max(wall, local + exchange);
    }
    run.updates += tau;
    run.spent += wall;

    const progress = 1 - Math.exp(-run.updates / 60);
    const penalty = kase === 2 ? 0.15 : kase === 4 ? 0.07 : 0;
    const drift = penalty * (1 - Math.exp(-tau / 10));
    const loss = (0.3 + 0.7 * (1 - progress) + drift) * (1 + 0.01 * this.rng.normal());
    const accuracy = Math.min(
      0.99,
      0.5 + 0.42 * progress - drift * 0.6 + 0.005 * this.rng.normal(),
    );
    const beta = 4 * noise();
    const rho = 0.8 * loss * noise();
    const delta = DIVERGENCE[kase] * (0.5 + 0.5 * loss) * noise();
    const c = maxLocal / tau;
    const b = wall - maxLocal;
    run.bestLoss = run.bestLoss === null ? loss : Math.min(run.bestLoss, loss);

    for (const node of this.nodes) {
      this.message(node.id, "received", {
        type: "round-result",
        runId: run.id,
        round: run.round,
        tau,
        loss: loss * noise(),
        localSeconds: node.lastLocalSeconds ?? 0,
        dataSize: node.dataSize,
        ...(run.round >= 2 ? { beta: beta * noise(), rho: rho * noise() } : {}),
      });
      this.emitNode(node);
    }

    const lastRound = run.spent >= budget;
    const nextTau = lastRound ? null : this.nextTau(run, mode, c, b, delta);
    const event: RoundEvent = {
      round: run.round,
      tau,
      kind: "full",
      evaluationOnly: false,
      lastRound,
      tauDone: { max: tau, mean: tau },
      lossAtStart: loss,
      bestLoss: run.bestLoss,
      testLoss: loss * 1.03,
      testAccuracy: accuracy,
      beta: run.round >= 2 ? beta : null,
      rho: run.round >= 2 ? rho : null,
      delta,
      costs: { time: { c, b } },
      spent: { time: run.spent },
      budget: { time: budget },
      reported: this.nodes.map((n) => n.id),
      failed: [],
      fault: null,
      nextTau,
      tauReason:
        nextTau === null
          ? null
          : mode !== "adaptive"
            ? "fixed"
            : run.round < 2
              ? "first-rounds"
              : "search",
      // An invented run: no controller ran, so its record says so.
      control: {
        input: {
          round: run.round,
          tauDone: tau,
          fallback: false,
          fresh: { beta: null, rho: null, delta },
          cost: { time: { local: c * tau, aggregation: b } },
          nodes: this.nodes.map((n) => ({ id: n.id, localSeconds: c * tau, tauDone: tau })),
          lost: [],
        },
        output: {
          tau: nextTau,
          kind: nextTau === null ? null : "full",
          search: null,
          binding: null,
          change: {
            cause: nextTau === tau ? "unchanged" : "costs",
            text:
              nextTau === tau
                ? "a made-up run of the fake source"
                : `tau ${tau} -> ${nextTau}: made up by the fake source`,
          },
        },
      },
      wallSeconds: wall,
    };
    this.emit({ type: "round", runId: run.id, event });
    this.predict(run.round, accuracy);
    if (nextTau !== null) run.tau = nextTau;
    if (lastRound) this.endRun("budget-spent");
  }

  /** Roughly what the tau search does: larger b / c, larger tau; larger delta, smaller. */
  private nextTau(
    run: FakeRun,
    mode: DashboardSettings["tauMode"],
    c: number,
    b: number,
    delta: number,
  ): number {
    if (mode !== "adaptive") return mode;
    if (run.round < 2) return 1;
    run.ratio = run.ratio === null ? b / c : 0.8 * run.ratio + 0.2 * (b / c);
    const target = Math.round((Math.sqrt(run.ratio) * 1.2) / (1 + 2 * delta));
    return Math.max(1, Math.min(100, 10 * run.tau, target));
  }

  private predict(round: number, accuracy: number): void {
    // A digit's difficulty is fixed, so verdicts settle as the model improves.
    const verdicts = this.testDigits.map((digit, k) => {
      const difficulty = ((k * 0.6180339887) % 1) * 0.96 + 0.04 * this.rng.next();
      const right = difficulty < accuracy;
      return right ? digit.truth : digit.truth === "even" ? "odd" : "even";
    });
    this.emit({ type: "predictions", round, verdicts, accuracy });
  }

  private message(
    peer: string,
    direction: "sent" | "received",
    fields: Omit<
      Extract<LogEntry, { kind: "message" }>,
      "kind" | "time" | "direction" | "peer" | "bytes"
    >,
  ): void {
    const bytes =
      fields.type === "round-start" || fields.type === "round-result" ? WEIGHT_FRAME_BYTES : 60;
    this.pushLog({ kind: "message", time: this.now(), direction, peer, bytes, ...fields });
  }
}

let sharedBank: DigitBank | null = null;

/** The synthetic digits, drawn once per process. */
function defaultBank(): DigitBank {
  sharedBank ??= syntheticDigits(30);
  return sharedBank;
}

function describe(command: ControlCommand): string {
  switch (command.type) {
    case "set-case":
      return `case ${command.case}`;
    case "set-delay":
      return `delay ${command.ms} ms on ${command.node ?? "every node"}`;
    case "set-budget":
      return `budget ${command.seconds} s`;
    case "set-tau":
      return `tau ${command.tau}`;
    default:
      return command.type;
  }
}
