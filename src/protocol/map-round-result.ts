import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import type { RoundReport } from "../core/train/round-report.js";
import { accepted, type Checked } from "./error-codes.js";
import { type RoundResult, RoundResultSchema } from "./gen/fedtau_pb.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { atLeast } from "./schema-rules.js";
import type { VectorEncodingName } from "./vector-codec.js";
import { vectorFromWire, vectorToWire } from "./vector-field.js";

/**
 * What protobuf cannot say about a RoundResult. The training outputs (weights, gradAtGlobal,
 * lossAtGlobal, lossAtBest) may be NaN or infinite when local training diverged: the aggregator
 * must still read the report (docs/algorithm.md section 3), so they are not held to finiteness.
 * beta and rho are finite (the node already maps NaN to 1e-5 and 0, section 2), and so is
 * gradNoise.
 */
const roundResultRules = z.object({
  round: atLeast(1),
  tauDone: atLeast(1),
  localSeconds: atLeast(0),
  dataSize: atLeast(1),
  beta: z.optional(atLeast(0)),
  rho: z.optional(atLeast(0)),
  gradNoise: z.optional(atLeast(0)),
});

/** A core RoundReport as a wire RoundResult. */
export function roundReportToWire(report: RoundReport, encoding: VectorEncodingName): RoundResult {
  return create(RoundResultSchema, {
    round: report.round,
    weights: vectorToWire(report.weights, encoding),
    tauDone: report.tauDone,
    localSeconds: report.localSeconds,
    dataSize: report.dataSize,
    lossAtGlobal: report.lossAtGlobal,
    gradAtGlobal: vectorToWire(report.gradAtGlobal, encoding),
    beta: report.beta,
    rho: report.rho,
    lossAtBest: report.lossAtBest,
    gradNoise: report.gradNoise,
  });
}

/** A wire RoundResult as a core RoundReport, checked. */
export function roundReportFromWire(wire: RoundResult, ctx: ReadContext): Checked<RoundReport> {
  const rules = checkWith(roundResultRules, wire, ctx);
  if (!rules.ok) return rules;
  const weights = vectorFromWire(
    wire.weights,
    { field: "weights", noun: "weights", length: ctx.modelSize, finite: false },
    ctx,
  );
  if (!weights.ok) return weights;
  const grad = vectorFromWire(
    wire.gradAtGlobal,
    {
      field: "gradAtGlobal",
      noun: "gradient values",
      length: ctx.modelSize ?? weights.value.length,
      finite: false,
    },
    ctx,
  );
  if (!grad.ok) return grad;
  return accepted({
    round: wire.round,
    weights: weights.value,
    tauDone: wire.tauDone,
    localSeconds: wire.localSeconds,
    dataSize: wire.dataSize,
    lossAtGlobal: wire.lossAtGlobal,
    gradAtGlobal: grad.value,
    ...(wire.beta === undefined ? {} : { beta: wire.beta }),
    ...(wire.rho === undefined ? {} : { rho: wire.rho }),
    ...(wire.lossAtBest === undefined ? {} : { lossAtBest: wire.lossAtBest }),
    ...(wire.gradNoise === undefined ? {} : { gradNoise: wire.gradNoise }),
  });
}
