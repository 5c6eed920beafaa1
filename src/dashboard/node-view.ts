import type { NodeStatus } from "../aggregator/aggregator-events.js";
import type { NodeView } from "./dashboard-source.js";

/** A node as the aggregator (or the simulator) knows it, as the page shows it. */
export function nodeView({ name, ...rest }: NodeStatus): NodeView {
  return { id: name, ...rest };
}
