import type { LogEntry } from "../protocol/message-log.js";
import type { Preview } from "../protocol/messages.js";
import { toBase64 } from "./base64.js";
import { decidedPoint, runPoints } from "./controller-view.js";
import { type DashboardLimits, DEFAULT_LIMITS, DIGIT_BYTES } from "./dashboard-limits.js";
import type {
  DashboardChange,
  DashboardSettings,
  NodeView,
  RunRecord,
  TestDigit,
} from "./dashboard-source.js";
import { logLine } from "./log-line.js";
import { roundPoint } from "./round-point.js";
import { runHeader } from "./run-pair.js";
import { StateBook } from "./state-book.js";
import type {
  ControlAccess,
  WireChange,
  WireChangeBody,
  WireLogLine,
  WireNode,
  WirePreview,
  WireRun,
  WireSnapshot,
  WireTestDigit,
} from "./wire-types.js";

/** Pixels of one preview image at most (a 64 x 64 grey image). */
const MAX_PREVIEW_PIXELS = 4_096;

/**
 * The demonstration's state on the server, held once, bounded by `limits`: it starts from the
 * source's settings and folds every change the source emits (a StateBook); each change recorded
 * is turned into the page's JSON form and gets the next sequence number, and `snapshot()` gives
 * the whole state in that form, current up to `seq`.
 */
export class DashboardState {
  /** Changes to sequence numbers start again with a new epoch (a new server). */
  readonly epoch: string = crypto.randomUUID();
  seq = 0;
  private readonly book: StateBook;

  constructor(
    settings: DashboardSettings,
    readonly limits: DashboardLimits = DEFAULT_LIMITS,
  ) {
    this.book = new StateBook(settings, limits);
  }

  /** Records one change; returns it as streamed to the page, or null when it changed nothing. */
  apply(change: DashboardChange): WireChange | null {
    const before = change.type === "node" ? this.book.node(change.node.id) : undefined;
    if (!this.book.record(change)) return null;
    const body = this.wireChange(change, before);
    this.seq++;
    return { ...body, seq: this.seq };
  }

  snapshot(access: ControlAccess): WireSnapshot {
    const state = this.book.snapshot();
    return {
      seq: this.seq,
      epoch: this.epoch,
      access,
      limits: { roundsPerRun: this.limits.roundsPerRun, logLines: this.limits.logLines },
      settings: state.settings,
      run: state.run && wireRun(state.run),
      // The previous run is drawn faint: its points without the controller's decisions.
      previousRun: state.previousRun && wireRun(state.previousRun, false),
      nodes: state.nodes.map((node) => this.wireNode(node)),
      test: state.test && {
        ...state.test,
        digits: this.wireDigits(state.test.digits),
        verdicts: state.test.verdicts && this.fitVerdicts(state.test.verdicts),
      },
      log: state.log.map((entry) => this.line(entry)),
    };
  }

  private wireChange(change: DashboardChange, before: NodeView | undefined): WireChangeBody {
    switch (change.type) {
      case "run-start":
        return {
          type: "run-start",
          run: { ...change.run, endedAt: null, endReason: null, points: [] },
        };
      case "round":
        return { type: "round", runId: change.runId, point: decidedPoint(change.event) };
      case "node": {
        if (before === undefined || !samePreview(before.preview, change.node.preview)) {
          return { type: "node", node: this.wireNode(change.node) };
        }
        const { preview: _, ...rest } = change.node;
        return { type: "node", node: { ...rest, labelHistogram: copy(rest.labelHistogram) } };
      }
      case "test-digits":
        return { type: "test-digits", digits: this.wireDigits(change.digits) };
      case "predictions":
        return { ...change, verdicts: this.fitVerdicts(change.verdicts) };
      case "log":
        return { type: "log", line: this.line(change.entry) };
      default:
        // run-end, node-removed and settings read the same on the wire.
        return change;
    }
  }

  private wireNode(view: NodeView): WireNode {
    return {
      ...view,
      labelHistogram: copy(view.labelHistogram),
      preview: view.preview ? this.wirePreview(view.preview) : null,
    };
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

  /** The test digits the page shows: 28 x 28 ones, at most `limits.testDigits`. */
  private shownDigits(digits: readonly TestDigit[]): readonly TestDigit[] {
    return digits.filter((d) => d.image.length === DIGIT_BYTES).slice(0, this.limits.testDigits);
  }

  private wireDigits(digits: readonly TestDigit[]): WireTestDigit[] {
    return this.shownDigits(digits).map((d) => ({ image: toBase64(d.image), truth: d.truth }));
  }

  /** One verdict per test digit shown. */
  private fitVerdicts(verdicts: readonly string[]): string[] {
    return verdicts.slice(0, this.shownDigits(this.book.testPanel?.digits ?? []).length);
  }

  private line(entry: LogEntry): WireLogLine {
    const line = logLine(entry);
    const max = this.limits.logLineChars;
    return line.text.length <= max ? line : { ...line, text: `${line.text.slice(0, max - 1)}…` };
  }
}

function wireRun(run: RunRecord, decisions = true): WireRun {
  return {
    ...runHeader(run),
    points: decisions ? runPoints(run.events) : run.events.map(roundPoint),
  };
}

function copy(values: readonly number[] | null): number[] | null {
  return values && [...values];
}

/** The same images and labels (the same object, or equal bytes). */
function samePreview(a: Preview | null, b: Preview | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.labels.length === b.labels.length &&
    a.labels.every((l, k) => l === b.labels[k]) &&
    a.pixels.length === b.pixels.length &&
    a.pixels.every((p, k) => p === b.pixels[k])
  );
}
