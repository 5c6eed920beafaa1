/** The edge node of the networked system (`fedtau node`). */
export { checkNodeName, defaultNodeName } from "./default-node-name.js";
export { EdgeNode, type EdgeNodeOptions } from "./edge-node.js";
export { type LoadSplit, type NodeData, NodeDataLoader } from "./node-data.js";
export type { NodeExit } from "./node-exit.js";
export {
  groupNodeNames,
  MAX_NODE_COUNT,
  NodeGroup,
  type NodeGroupOptions,
  sharedLoadSplit,
} from "./node-group.js";
export { ownDataSpec } from "./own-data-spec.js";
