import type {
  ControlAccess,
  DashboardSettings,
  RunSetup,
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
export interface PageRun {
  readonly id: string;
  readonly setup: RunSetup;
  readonly startedAt: number;
  endedAt: number | null;
  endReason: string | null;
  readonly series: RunSeries;
}

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
  run: PageRun | null = null;
  previousRun: PageRun | null = null;
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
    this.run = snapshot.run ? this.pageRun(snapshot.run) : null;
    this.previousRun = snapshot.previousRun ? this.pageRun(snapshot.previousRun) : null;
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
        if (this.run && this.run.id !== change.run.id) this.previousRun = this.run;
        this.run = this.pageRun(change.run);
        this.mark("header", "charts");
        break;
      case "round":
        if (this.run?.id !== change.runId) return;
        this.run.series.push(change.point);
        this.mark("header", "charts");
        break;
      case "run-end":
        if (this.run?.id !== change.runId) return;
        this.run.endedAt = change.at;
        this.run.endReason = change.reason;
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

  private pageRun(run: WireRun): PageRun {
    return {
      id: run.id,
      setup: run.setup,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      endReason: run.endReason,
      series: RunSeries.of(run.points, this.limits.roundsPerRun),
    };
  }

  private mark(...parts: Part[]): void {
    for (const part of parts) this.dirty.add(part);
  }
}
