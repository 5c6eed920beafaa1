import type { SearchRecord, TauChange } from "../../core/control/control-record.js";
import { searchTau } from "../../core/control/tau-search.js";
import type { RoundEvent } from "../../core/federation/round-event.js";

/**
 * A search like the demo's after a few rounds: smooth SVM, one time budget. Its argmin (66) is
 * the search's own unless the patch sets one.
 */
export function searchFixture(patch: Partial<SearchRecord> = {}): SearchRecord {
  const base: SearchRecord = {
    beta: 1.136,
    delta: 0.5,
    rho: 0.051,
    eta: 0.01,
    phi: 0.025,
    useMinLoss: true,
    resources: [{ name: "time", budget: 4.77, c: 0.00344, b: 0.0168 }],
    lastCandidate: 100,
    argmin: 1,
    objective: null,
    ...patch,
  };
  if (patch.argmin !== undefined) return base;
  const found = searchTau({ ...base, tauPrev: 1, tauMax: base.lastCandidate });
  return { ...base, argmin: found.argmin, objective: found.objective };
}

export interface RoundFixture {
  readonly round: number;
  /** The tau the round ran. */
  readonly tau: number;
  /** The next round's tau (null: the run ends). */
  readonly next: number | null;
  readonly search?: SearchRecord | null;
  readonly binding?: string | null;
  readonly change?: TauChange;
}

/** A full round's event with its controller record: tau `tau` ran, `next` follows. */
export function roundEventFixture(f: RoundFixture): RoundEvent {
  const change: TauChange = f.change ?? {
    cause: f.next === f.tau ? "unchanged" : "costs",
    text:
      f.next === null
        ? "the run is over"
        : `tau ${f.tau} -> ${f.next}${f.next === f.tau ? ": unchanged" : ": b (time) 0.01 -> 0.1"}`,
  };
  return {
    round: f.round,
    tau: f.tau,
    kind: "full",
    evaluationOnly: false,
    lastRound: f.next === null,
    tauDone: { max: f.tau, mean: f.tau },
    lossAtStart: 0.5,
    bestLoss: 0.5,
    testLoss: 0.5,
    testAccuracy: 0.8,
    beta: 1.136,
    rho: 0.051,
    delta: 0.072,
    costs: { time: { c: 0.00344, b: 0.0168 } },
    spent: { time: f.round },
    budget: { time: 60 },
    reported: ["n1"],
    failed: [],
    fault: null,
    nextTau: f.next,
    tauReason: f.search === null ? null : "search",
    control: {
      input: {
        round: f.round,
        tauDone: f.tau,
        fallback: false,
        fresh: { beta: 1.136, rho: 0.051, delta: 0.072 },
        cost: { time: { local: 0.00344 * f.tau, aggregation: 0.0168 } },
        nodes: [{ id: "n1", localSeconds: 0.00344 * f.tau, tauDone: f.tau }],
        lost: [],
      },
      output: {
        tau: f.next,
        kind: f.next === null ? null : "full",
        search: f.search === undefined ? searchFixture() : f.search,
        binding: f.binding ?? null,
        change,
      },
    },
    wallSeconds: 0.05,
  };
}
