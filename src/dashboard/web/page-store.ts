import { type HeldRun, RunPair } from "../run-pair.js";
import type {
  ControlAccess,
  DashboardSettings,
  WireChange,
  WireLimits,
  WireLogLine,
  WireNode,
  WireRun,
  WireSnapshot,
  WireTest,
} from "../wire-types.js";
import { RunSeries } from "./run-series.js";

/** A run as the page holds it: its rounds as chart columns. */
export type PageRun = HeldRun<RunSeries>;

/** The parts of the page that need drawing again. */
export type Part = "header" | "charts" | "nodes" | "test" | "log" | "settings";

/**
 * The page's copy of the dashboard state, from a snapshot and then the streamed changes. It
 * records which parts changed (`dirty`) so the views redraw once per animation frame, and keeps
 * every list bounded by the server's limits.
 */
export class PageStore {
  access: ControlAccess = "open";
  limits: WireLimits = { roundsPerRun: 5_000, logLines: 500 };
  settings: DashboardSettings | null = null;
  private runs = new RunPair<RunSeries>();
  readonly nodes = new Map<string, WireNode>();
  /** Nodes whose panel must be drawn again (all when the set holds "*"). */
  readonly dirtyNodes = new Set<string>();
  test: WireTest | null = null;
  /** The test digits' images changed (not only the verdicts). */
  testImagesChanged = false;
  log: WireLogLine[] = [];
  /** Lines to append to the log view; null when it must be redrawn whole. */
  newLogLines: WireLogLine[] | null = null;
  readonly dirty = new Set<Part>();

  load(snapshot: WireSnapshot): void {
    this.access = snapshot.access;
    this.limits = snapshot.limits;
    this.settings = snapshot.settings;
    this.runs = new RunPair<RunSeries>();
    if (snapshot.previousRun) {
      this.runs.restorePrevious(snapshot.previousRun, this.series(snapshot.previousRun));
    }
    if (snapshot.run) this.runs.start(snapshot.run, this.series(snapshot.run));
    this.nodes.clear();
    for (const node of snapshot.nodes) this.nodes.set(node.id, node);
    this.dirtyNodes.add("*");
    this.test = snapshot.test;
    this.testImagesChanged = true;
    this.log = snapshot.log.slice(-this.limits.logLines);
    this.newLogLines = null;
    for (const part of ["header", "charts", "nodes", "test", "log", "settings"] as const) {
      this.dirty.add(part);
    }
  }

  apply(change: WireChange): void {
    switch (change.type) {
      case "run-start":
        this.runs.start(change.run, this.series(change.run));
        this.mark("header", "charts");
        break;
      case "round": {
        const run = this.runs.running(change.runId);
        if (run === null) return;
        run.rounds.push(change.point);
        this.mark("header", "charts");
        break;
      }
      case "run-end":
        if (!this.runs.end(change.runId, change.at, change.reason)) return;
        this.mark("header");
        break;
      case "node": {
        const before = this.nodes.get(change.node.id);
        const preview = "preview" in change.node ? change.node.preview : before?.preview;
        this.nodes.set(change.node.id, { ...change.node, preview: preview ?? null });
        this.dirtyNodes.add(change.node.id);
        this.mark("nodes");
        break;
      }
      case "node-removed":
        this.nodes.delete(change.id);
        this.dirtyNodes.add("*");
        this.mark("nodes");
        break;
      case "test-digits":
        this.test = { digits: change.digits, verdicts: null, round: null, accuracy: null };
        this.testImagesChanged = true;
        this.mark("test");
        break;
      case "predictions":
        if (!this.test) return;
        this.test = {
          ...this.test,
          verdicts: change.verdicts,
          round: change.round,
          accuracy: change.accuracy,
        };
        this.mark("test");
        break;
      case "log":
        this.log.push(change.line);
        if (this.log.length > this.limits.logLines * 1.2)
          this.log = this.log.slice(-this.limits.logLines);
        if (this.newLogLines !== null) {
          this.newLogLines.push(change.line);
          // Far behind (a hidden tab): redraw whole rather than append thousands.
          if (this.newLogLines.length > this.limits.logLines) this.newLogLines = null;
        }
        this.mark("log");
        break;
      case "settings":
        this.settings = change.settings;
        this.mark("settings", "header");
        break;
    }
  }

  /** The lines appended since the log view last drew; resets the record. */
  takeNewLogLines(): WireLogLine[] | null {
    const lines = this.newLogLines;
    this.newLogLines = [];
    return lines;
  }

  /** The current run, or the last one when none is going. */
  get run(): PageRun | null {
    return this.runs.current;
  }

  /** The run before it, drawn faint. */
  get previousRun(): PageRun | null {
    return this.runs.previous;
  }

  private series(run: WireRun): RunSeries {
    return RunSeries.of(run.points, this.limits.roundsPerRun);
  }

  private mark(...parts: Part[]): void {
    for (const part of parts) this.dirty.add(part);
  }
}
