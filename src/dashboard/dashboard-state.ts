import type { LogEntry } from "../protocol/message-log.js";
import type { Preview } from "../protocol/messages.js";
import { toBase64 } from "./base64.js";
import { BoundedList } from "./bounded-list.js";
import { type DashboardLimits, DEFAULT_LIMITS, DIGIT_BYTES } from "./dashboard-limits.js";
import type {
  DashboardChange,
  DashboardSnapshot,
  NodeView,
  RunRecord,
  TestDigit,
} from "./dashboard-source.js";
import { logLine } from "./log-line.js";
import { roundPoint } from "./round-point.js";
import type {
  ControlAccess,
  DashboardSettings,
  RoundPoint,
  RunSetup,
  WireChange,
  WireChangeBody,
  WireLogLine,
  WireNode,
  WirePreview,
  WireRun,
  WireSnapshot,
  WireTest,
  WireTestDigit,
} from "./wire-types.js";

/** Pixels of one preview image at most (a 64 x 64 grey image). */
const MAX_PREVIEW_PIXELS = 4_096;

interface RunState {
  readonly id: string;
  readonly setup: RunSetup;
  readonly startedAt: number;
  endedAt: number | null;
  endReason: string | null;
  readonly points: BoundedList<RoundPoint>;
}

/**
 * The dashboard's own copy of the demonstration, in the page's JSON form and bounded by
 * `limits`: seeded from the source's snapshot, then kept current by folding its changes. Each
 * change applied gets the next sequence number; `snapshot()` says up to which one it is current.
 */
export class DashboardState {
  /** Changes to sequence numbers start again with a new epoch (a new server). */
  readonly epoch: string = crypto.randomUUID();
  seq = 0;
  private settings: DashboardSettings;
  private run: RunState | null = null;
  private previousRun: RunState | null = null;
  private readonly nodes = new Map<string, WireNode>();
  private test: WireTest | null = null;
  private readonly log: BoundedList<WireLogLine>;

  constructor(
    initial: DashboardSnapshot,
    readonly limits: DashboardLimits = DEFAULT_LIMITS,
  ) {
    this.log = new BoundedList(limits.logLines);
    this.settings = initial.settings;
    if (initial.previousRun) this.previousRun = this.runState(initial.previousRun);
    if (initial.run) this.run = this.runState(initial.run);
    for (const node of initial.nodes) this.putNode(node);
    if (initial.test) {
      const { digits, verdicts, round, accuracy } = initial.test;
      this.test = { digits: this.wireDigits(digits), verdicts: null, round, accuracy };
      if (verdicts) this.test = { ...this.test, verdicts: this.fitVerdicts(verdicts) };
    }
    for (const entry of initial.log) this.log.push(this.line(entry));
  }

  /** Folds one change in; returns it as streamed to the page, or null when it changed nothing. */
  apply(change: DashboardChange): WireChange | null {
    const body = this.fold(change);
    if (body === null) return null;
    this.seq++;
    return { ...body, seq: this.seq };
  }

  snapshot(access: ControlAccess): WireSnapshot {
    return {
      seq: this.seq,
      epoch: this.epoch,
      access,
      limits: { roundsPerRun: this.limits.roundsPerRun, logLines: this.limits.logLines },
      settings: this.settings,
      run: this.run ? wireRun(this.run) : null,
      previousRun: this.previousRun ? wireRun(this.previousRun) : null,
      nodes: [...this.nodes.values()],
      test: this.test,
      log: this.log.toArray(),
    };
  }

  private fold(change: DashboardChange): WireChangeBody | null {
    switch (change.type) {
      case "run-start": {
        const run = this.runState({ ...change.run, endedAt: null, endReason: null, events: [] });
        if (this.run && this.run.id !== run.id) this.previousRun = this.run;
        this.run = run;
        return { type: "run-start", run: wireRun(run) };
      }
      case "round": {
        if (!this.run || this.run.id !== change.runId) return null;
        const point = roundPoint(change.event);
        this.run.points.push(point);
        return { type: "round", runId: change.runId, point };
      }
      case "run-end": {
        if (!this.run || this.run.id !== change.runId) return null;
        this.run.endedAt = change.at;
        this.run.endReason = change.reason;
        return { type: "run-end", runId: change.runId, at: change.at, reason: change.reason };
      }
      case "node": {
        const before = this.nodes.get(change.node.id);
        if (!before && this.nodes.size >= this.limits.nodes) return null;
        const node = this.putNode(change.node);
        const { preview, ...rest } = node;
        return before && samePreview(before.preview, preview)
          ? { type: "node", node: rest }
          : { type: "node", node };
      }
      case "node-removed":
        if (!this.nodes.delete(change.id)) return null;
        return { type: "node-removed", id: change.id };
      case "test-digits": {
        const digits = this.wireDigits(change.digits);
        this.test = { digits, verdicts: null, round: null, accuracy: null };
        return { type: "test-digits", digits };
      }
      case "predictions": {
        if (!this.test) return null;
        const verdicts = this.fitVerdicts(change.verdicts);
        this.test = { ...this.test, verdicts, round: change.round, accuracy: change.accuracy };
        return { type: "predictions", round: change.round, verdicts, accuracy: change.accuracy };
      }
      case "log": {
        const line = this.line(change.entry);
        this.log.push(line);
        return { type: "log", line };
      }
      case "settings":
        this.settings = change.settings;
        return { type: "settings", settings: change.settings };
    }
  }

  private runState(run: RunRecord): RunState {
    const points = new BoundedList<RoundPoint>(this.limits.roundsPerRun);
    for (const event of run.events) points.push(roundPoint(event));
    return {
      id: run.id,
      setup: run.setup,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      endReason: run.endReason,
      points,
    };
  }

  private putNode(view: NodeView): WireNode {
    const node: WireNode = {
      id: view.id,
      online: view.online,
      dataSize: view.dataSize,
      labelHistogram: view.labelHistogram ? [...view.labelHistogram] : null,
      preview: view.preview ? this.wirePreview(view.preview) : null,
      lastLocalSeconds: view.lastLocalSeconds,
      delayMs: view.delayMs,
    };
    this.nodes.set(node.id, node);
    return node;
  }

  private wirePreview(preview: Preview): WirePreview | null {
    const { width, height, pixels } = preview;
    const size = width * height;
    if (!(Number.isInteger(size) && size > 0 && size <= MAX_PREVIEW_PIXELS)) return null;
    const count = Math.min(
      preview.labels.length,
      Math.floor(pixels.length / size),
      this.limits.previewDigits,
    );
    if (count === 0) return null;
    const images: string[] = [];
    for (let k = 0; k < count; k++)
      images.push(toBase64(pixels.subarray(k * size, (k + 1) * size)));
    return { width, height, images, labels: preview.labels.slice(0, count) };
  }

  private wireDigits(digits: readonly TestDigit[]): WireTestDigit[] {
    return digits
      .filter((d) => d.image.length === DIGIT_BYTES)
      .slice(0, this.limits.testDigits)
      .map((d) => ({ image: toBase64(d.image), truth: d.truth }));
  }

  /** One verdict per test digit shown. */
  private fitVerdicts(verdicts: readonly string[]): string[] {
    return verdicts.slice(0, this.test?.digits.length ?? this.limits.testDigits);
  }

  private line(entry: LogEntry): WireLogLine {
    const line = logLine(entry);
    const max = this.limits.logLineChars;
    return line.text.length <= max ? line : { ...line, text: `${line.text.slice(0, max - 1)}…` };
  }
}

function wireRun(run: RunState): WireRun {
  return {
    id: run.id,
    setup: run.setup,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    endReason: run.endReason,
    points: run.points.toArray(),
  };
}

function samePreview(a: WirePreview | null, b: WirePreview | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.images.length === b.images.length &&
    a.images.every((s, k) => s === b.images[k]) &&
    a.labels.every((l, k) => l === b.labels[k])
  );
}
