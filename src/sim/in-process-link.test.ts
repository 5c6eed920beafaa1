import { describe, expect, it } from "vitest";
import { Rng } from "../core/data/rng.js";
import { referenceKernels } from "../core/linalg/reference-kernels.js";
import { SvmModel } from "../core/models/svm.js";
import { LocalTrainer } from "../core/train/local-trainer.js";
import type { RoundOrder } from "../core/train/round-report.js";
import { roundResultWireBytes, roundStartWireBytes } from "../transport/index.js";
import { InProcessLink } from "./in-process-link.js";

const dim = 3;
const model = new SvmModel(dim, { kernels: referenceKernels });
const data = {
  x: Float32Array.of(1, 0, 0.5, -1, 0.25, 0, 0, 1, -0.5, 0.5, 0.5, 0.5),
  y: Float64Array.of(1, -1, 1, -1),
  rows: 4,
  dim,
};
const fixedClock = { now: () => 0 };
const order: RoundOrder = {
  round: 1,
  weights: new Float64Array(dim),
  tau: 3,
  lastRound: false,
  prevGlobalWasBest: false,
};

describe("InProcessLink", () => {
  it("resolves with the trainer's report", async () => {
    const link = new InProcessLink(
      "n1",
      new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1), clock: fixedClock }),
      fixedClock,
    );
    const twin = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1), clock: fixedClock });
    const outcome = await link.runRound(order);
    expect(link.id).toBe("n1");
    expect(outcome).toEqual({
      ok: true,
      report: twin.runRound(order),
      busySeconds: 0,
      bytes: expect.any(Number),
    });
  });

  it("tells how long the call kept the process busy, on its clock, also when it fails", async () => {
    let now = 10;
    const clock = { now: () => now };
    const slow = (seconds: number, fail: boolean) => ({
      runRound: () => {
        now += seconds;
        if (fail) throw new Error("out of memory");
        return twinReport();
      },
    });
    const ok = await new InProcessLink("n1", slow(0.25, false), clock).runRound(order);
    expect(ok.ok && ok.busySeconds).toBe(0.25);
    const failed = await new InProcessLink("n2", slow(0.5, true), clock).runRound(order);
    expect(failed).toEqual({
      ok: false,
      code: "node-error",
      message: "Node n2 failed round 1: out of memory",
      busySeconds: 0.5,
      bytes: expect.any(Number),
    });
  });

  it("counts the bytes of the round's RoundStart and RoundResult on a WebSocket", async () => {
    const trainer = new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1), clock: fixedClock });
    const outcome = await new InProcessLink("n1", trainer).runRound(order);
    if (!outcome.ok) throw new Error(outcome.message);
    const runId = "r00000000-1";
    expect(outcome.bytes).toBe(
      roundStartWireBytes(runId, order, 2_000, 2) + roundResultWireBytes(runId, outcome.report, 3),
    );
    // 3 weights out, 3 weights and 3 gradients back, headers and scalars on top.
    expect(outcome.bytes).toBeGreaterThan(9 * 8);
    expect(outcome.bytes).toBeLessThan(9 * 8 + 120);
  });

  it("turns a trainer's error into a node-error outcome", async () => {
    const link = new InProcessLink(
      "n2",
      new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1) }),
    );
    const outcome = await link.runRound({ ...order, round: 5, weights: new Float64Array(7) });
    expect(outcome).toEqual({
      ok: false,
      code: "node-error",
      message:
        "Node n2 failed round 5: Cannot run round 5: the order carries 7 weights, the svm model has 3",
      busySeconds: expect.any(Number),
      bytes: roundStartWireBytes(
        "r00000000-1",
        { ...order, round: 5, weights: new Float64Array(7) },
        2_000,
        6,
      ),
    });
  });

  it("never rejects, whatever the trainer throws", async () => {
    const link = new InProcessLink("n3", {
      runRound: () => {
        throw "not an Error";
      },
    });
    await expect(link.runRound(order)).resolves.toEqual({
      ok: false,
      code: "node-error",
      message: "Node n3 failed round 1: not an Error",
      busySeconds: expect.any(Number),
      bytes: expect.any(Number),
    });
  });
});

function twinReport() {
  return new LocalTrainer({ model, data, eta: 0.1, rng: new Rng(1), clock: fixedClock }).runRound(
    order,
  );
}
