import { describe, expect, it } from "vitest";
import { renderExperimentFiles } from "./experiment-files.js";
import { resolveSettings } from "./experiment-options.js";
import type { RunRecord } from "./run-record.js";
import { sampleCase, sampleRounds } from "./test-support/sample-records.js";

const settings = resolveSettings({ cases: [1, 4], taus: ["adaptive", 1, 10, 100], sgd: 100 });
const runs = [
  ...sampleCase(1, { 1: 0.25, 10: 0.2, 100: 0.22 }, 0.201),
  ...sampleCase(4, { 1: 0.3, 10: 0.27, 100: 0.5 }, 0.27),
];
const rounds = [...sampleRounds(1, "adaptive", [1, 1, 10, 100, 1]), ...sampleRounds(1, 1, [1, 1])];
const out = { settings, runs, rounds };

describe("result files", () => {
  it("writes one CSV row per run, and one per round", () => {
    const files = renderExperimentFiles(out, "2024-01-01T00:00:00.000Z");
    const results = files["results.csv"].trim().split("\n");
    expect(results).toHaveLength(1 + runs.length);
    expect(results[0]).toBe(
      "model,case,case_name,minibatches,tau_setting,final_loss,test_accuracy,test_loss,mean_tau,rounds,iterations,beta,delta,rho,time_budget,time_spent,bytes_budget,bytes_spent,binding",
    );
    expect(results[1]).toMatch(/^svm,1,uniform,,adaptive,0.201,/);
    expect(results[1]).toMatch(/,15,14\.9,,1200000,time$/);
    const roundLines = files["rounds.csv"].trim().split("\n");
    expect(roundLines).toHaveLength(1 + rounds.length);
    expect(roundLines[1]).toMatch(/^svm,1,,adaptive,1,full,1,1,0.5,/);
    expect(roundLines[1]).toContain(",NaN,");
    expect(roundLines[0]).toContain(",time_spent,bytes_spent,nodes_reported");
  });

  it("writes results.json with the settings and runs keyed like the CSV, NaN as null", () => {
    const doc = JSON.parse(
      renderExperimentFiles(
        { ...out, runs: [{ ...runs[0], beta: Number.NaN }] },
        "2024-01-01T00:00:00.000Z",
      )["results.json"],
    );
    expect(doc.settings).toMatchObject({ cases: [1, 4], taus: ["adaptive", 1, 10, 100], sgd: 100 });
    expect(doc.runs[0]).toMatchObject({ case: 1, tau_setting: "adaptive", final_loss: 0.201 });
    expect(doc.runs[0].beta).toBeNull();
  });

  it("records every budgeted resource: its budget, what each run spent and what ended it", () => {
    const budget = { time: 15, bytes: 2e6 };
    const two = { ...out, settings: resolveSettings({ ...settings, budget }) };
    const files = renderExperimentFiles(two, "2024-01-01T00:00:00.000Z");
    expect(JSON.parse(files["results.json"]).settings.budget).toEqual(budget);
    const report = files["report.html"];
    expect(report).toContain("time 15 s, bytes 2 MB");
    expect(report).toContain("<th>time spent</th><th>bytes spent</th><th class=l>ended by</th>");
    expect(report).toContain("<td>14.9 s</td><td>1.2 MB</td><td class=l>time</td>");
    // A time budget alone: one spent column, no "ended by".
    const one = renderExperimentFiles(out, "2024-01-01T00:00:00.000Z")["report.html"];
    expect(one).toContain("<th>time spent</th></tr>");
    expect(one).not.toContain("ended by");
  });

  it("makes a self-contained report that differs only in its timestamp", () => {
    const a = renderExperimentFiles(out, "2024-01-01T00:00:00.000Z")["report.html"];
    const b = renderExperimentFiles(out, "2025-06-30T12:34:56.000Z")["report.html"];
    expect(a).not.toBe(b);
    expect(a.replace("2024-01-01T00:00:00.000Z", "X")).toBe(
      b.replace("2025-06-30T12:34:56.000Z", "X"),
    );
    expect(a).not.toMatch(/<script|<link|src="http|href="http|@import/);
    // Per case: loss vs tau, accuracy vs tau, and tau over time of the adaptive run.
    expect(a.match(/<svg /g)).toHaveLength(3 + 3);
    expect(a).toContain("final loss vs tau");
    expect(a).toContain("tau over time, adaptive run");
    expect(a).toContain("case 4 (mixed)");
    expect(a).toContain("SGD, minibatch 100");
  });

  it("reports the replicated case once per kind of minibatch streams, each with its own runs", () => {
    const s = resolveSettings({ cases: [3], taus: ["adaptive", 1, 10], sgd: 100 });
    const as = (minibatches: "shared" | "independent", r: RunRecord) => ({ ...r, minibatches });
    const shared = sampleCase(3, { 1: 0.2111, 10: 0.2222 }, 0.2333).map((r) => as("shared", r));
    const independent = sampleCase(3, { 1: 0.3111, 10: 0.3222 }, 0.3333).map((r) =>
      as("independent", r),
    );
    const html = renderExperimentFiles(
      { settings: s, runs: [...shared, ...independent], rounds: [] },
      "2024-01-01T00:00:00.000Z",
    )["report.html"];
    expect(html).toContain(
      "3 (replicated, shared minibatches), 3 (replicated, independent minibatches)",
    );
    const [, sharedPart, independentPart] = html.split("<h2>svm, case 3");
    expect(sharedPart).toMatch(/^ \(replicated, shared minibatches\)<\/h2>/);
    expect(sharedPart).toContain("every fixed tau follows one trajectory");
    expect(sharedPart).toContain("0.2222");
    expect(sharedPart).not.toContain("0.3222");
    expect(independentPart).toMatch(/^ \(replicated, independent minibatches\)<\/h2>/);
    expect(independentPart).not.toContain("one trajectory");
    expect(independentPart).toContain("0.3222");
    expect(independentPart).not.toContain("0.2222");
  });
});
