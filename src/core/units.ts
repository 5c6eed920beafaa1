/**
 * Named types for the quantities that travel through fedtau. They are plain numbers and strings
 * at run time; the names say what a value means where a bare `number` would not.
 */

/** A node's name, unique within an aggregator (e.g. "n1", "pi-kitchen"). */
export type NodeId = string;

/** A round number, counted from 1. */
export type Round = number;

/** A number of local gradient steps between two aggregations. */
export type Tau = number;

/** A duration in seconds (measured wall time or a simulated cost). */
export type Seconds = number;

/** An amount of some resource (seconds of time, bytes sent...), in that resource's unit. */
export type ResourceAmount = number;

/** The name of a budgeted resource: "time" always exists; "bytes" is the usual second one. */
export type ResourceName = "time" | "bytes" | (string & {});
