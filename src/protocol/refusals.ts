import type { NodeId, Round } from "../core/units.js";
import { cannotAccept, type ProtocolError, protocolError } from "./error-codes.js";

/**
 * The refusals that need a session's state (who is registered, which tokens are valid, what is
 * expected now): decided by the aggregator or the node, worded here so that every part of
 * fedtau says the same sentence for the same fault.
 */

/** Register with a wrong token. */
export function unauthorized(id: NodeId): ProtocolError {
  return protocolError("unauthorized", cannotAccept("register", id, "wrong token"), {
    field: "token",
  });
}

/** Register with a name another connected node has. */
export function nameTaken(id: NodeId): ProtocolError {
  return protocolError(
    "name-taken",
    cannotAccept("register", id, `another connected node is named "${id}"`),
    { field: "nodeName" },
  );
}

/** A message from a connection that has not registered, or from a node the aggregator dropped. */
export function unknownNode(what: string, from: string | undefined): ProtocolError {
  return protocolError("unknown-node", cannotAccept(what, from, "the node is not registered"));
}

/** A valid message at the wrong moment: `when` says which ("before ready", "after stop"). */
export function unexpected(what: string, from: string | undefined, when: string): ProtocolError {
  return protocolError("unexpected", cannotAccept(what, from, `not expected ${when}`));
}

/** No round result before the round's deadline. */
export function timedOut(id: NodeId, round: Round, deadlineMs: number): ProtocolError {
  return protocolError(
    "timeout",
    `No round result from "${id}" for round ${round} within ${deadlineMs} ms`,
  );
}

/** The sender's own failure (e.g. a node that cannot load its data set). */
export function internal(message: string, detail?: string): ProtocolError {
  return protocolError("internal", message, detail === undefined ? {} : { detail });
}

/** A connection that sent more than its allowance of messages per second (docs/security.md). */
export function rateLimited(from: string, perSecond: number): ProtocolError {
  return protocolError(
    "rate-limited",
    cannotAccept("messages", from, `more than ${perSecond} per second`),
  );
}

/** One connection too many from one address (docs/security.md). */
export function tooManyConnections(address: string, open: number): ProtocolError {
  return protocolError(
    "too-many-connections",
    `Cannot accept a connection from ${address}: it already has ${open} open`,
  );
}
