import type { RunSetup } from "../wire-types.js";
import { el } from "./dom.js";
import { amount, count, duration, num } from "./format.js";
import type { ConnectionStatus } from "./live-connection.js";
import type { PageStore } from "./page-store.js";

const CASE_NAMES: Record<number, string> = {
  1: "uniform",
  2: "non-uniform",
  3: "replicated",
  4: "mixed",
};

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  connecting: "connecting…",
  live: "live",
  offline: "reconnecting…",
};

/** The run in a line: id, model, case, tau mode, budget, nodes, progress; and the connection. */
export class RunHeader {
  constructor(
    private readonly summary: HTMLElement,
    private readonly connection: HTMLElement,
  ) {}

  showConnection(status: ConnectionStatus): void {
    this.connection.textContent = STATUS_TEXT[status];
    this.connection.className = `connection ${status}`;
  }

  draw(store: PageStore): void {
    const run = store.run;
    if (!run) {
      this.summary.replaceChildren(el("span", { class: "muted" }, ["waiting for the first run"]));
      return;
    }
    const s = run.setup;
    const series = run.rounds;
    const state = run.endedAt === null ? "running" : `ended: ${run.endReason ?? "?"}`;
    const spent = series.latest("spent");
    // The settings say what is in effect now (a command may have changed the running run).
    const tauMode = run.endedAt === null ? (store.settings?.tauMode ?? s.tauMode) : s.tauMode;
    const budget = series.latest("budget") ?? s.budgetSeconds;
    // Every budgeted resource once a round has told them, else the time budget of the setup.
    const budgets =
      series.latestBudgets.length > 0
        ? series.latestBudgets
            .map((u) => `${amount(u.resource, u.spent)} of ${amount(u.resource, u.budget)}`)
            .join(" · ")
        : `${duration(spent)} of ${duration(budget)}`;
    const chips: [string, string][] = [
      ["run", run.id],
      ["model", `${s.model} · ${s.task}`],
      ["case", `${s.case} ${CASE_NAMES[s.case] ?? ""}`],
      ["τ", tauText(tauMode)],
      ["budget", budgets],
      ["nodes", count(s.nodes)],
      ["round", count(series.rounds.at(-1) ?? 0)],
      ["τ now", num(series.latest("tau"))],
    ];
    this.summary.replaceChildren(
      ...chips.map(([k, v]) => el("span", { class: "chip" }, [el("em", {}, [k]), v])),
      el("span", { class: `chip state ${run.endedAt === null ? "running" : "ended"}` }, [state]),
    );
  }
}

function tauText(mode: RunSetup["tauMode"]): string {
  return mode === "adaptive" ? "adaptive" : `fixed ${mode}`;
}
