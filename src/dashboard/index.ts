/**
 * The dashboard: the web page of the aggregator. `createDashboardApp({ source })` makes the hono
 * app; `attachDashboard(server, app)` serves it on the aggregator's HTTP server (beside its
 * WebSocket endpoint), or `startDashboardServer(app)` on a server of its own. See README.md.
 */
export {
  type AggregatorWithDashboard,
  type DashboardServing,
  startAggregatorWithDashboard,
} from "./aggregator-dashboard.js";
export { AggregatorSource, type AggregatorSourceOptions } from "./aggregator-source.js";
export { isLoopbackHost } from "./control-auth.js";
export {
  type ControlCommand,
  controlCommandSchema,
  parseControlCommand,
} from "./control-command.js";
export { createDashboardApp, type DashboardApp, type DashboardOptions } from "./dashboard-app.js";
export { type DashboardLimits, DEFAULT_LIMITS } from "./dashboard-limits.js";
export {
  attachDashboard,
  closeServer,
  dashboardRequestListener,
  type StartedDashboard,
  startDashboardServer,
} from "./dashboard-server.js";
export type * from "./dashboard-source.js";
export type { SimulatedRunsOptions } from "./simulated-runs.js";
export { SimulatorSource } from "./simulator-source.js";
