import type { ControllerConfig } from "../controller.js";

/**
 * The controller of the demonstration's SVM runs (eta 0.01, phi 0.025, adaptive tau up to 100,
 * the min-loss rule, 15 s of time), under the paper's rules; a test changes what it is about.
 */
export function controllerConfig(patch: Partial<ControllerConfig> = {}): ControllerConfig {
  return {
    control: "paper",
    eta: 0.01,
    phi: 0.025,
    gamma: 0,
    tauMode: "adaptive",
    tauMax: 100,
    useMinLoss: true,
    budget: { time: 15 },
    maxRounds: null,
    ...patch,
  };
}
