import type { Evaluation, Objective } from "./model.js";

/** Evaluates a freshly bound objective once and frees it: the body of every `Model.evaluate`. */
export function evaluateOnce(objective: Objective, w: Float64Array): Evaluation {
  try {
    return objective.evaluate(w);
  } finally {
    objective.dispose();
  }
}
