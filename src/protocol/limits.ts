import { ProtocolVersion } from "./gen/fedtau_pb.js";

/** The protocol version this code speaks, sent in every Envelope (proto/fedtau.proto). */
export const PROTOCOL_VERSION: number = ProtocolVersion.CURRENT;

/**
 * Largest frame a receiver accepts unless told otherwise: 32 MiB, room for a round result of
 * two float64 vectors of 2 million weights each. A receiver may lower it (`maxMessageBytes`).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** A node name: 1 to 64 characters from [A-Za-z0-9._-]. */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_NODE_NAME_CHARS = 64;

/** Longest strings, in characters. */
export const MAX_TOKEN_CHARS = 256;
export const MAX_SOFTWARE_CHARS = 128;
export const MAX_RUN_ID_CHARS = 128;
export const MAX_DATASET_CHARS = 1024;
export const MAX_TEXT_CHARS = 1024;
export const MAX_DETAIL_CHARS = 4096;

/** Longest label histogram (number of classes). */
export const MAX_HISTOGRAM_BINS = 1024;

/** A preview: at most 64 images of at most 256 x 256 pixels. */
export const MAX_PREVIEW_IMAGES = 64;
export const MAX_PREVIEW_SIDE = 256;

/*
 * What a Setup or a RoundStart may make a node allocate or compute, so that a hostile or broken
 * aggregator cannot exhaust it: a node computes its assignment over all nodes of the run, builds
 * the model the Setup names, and runs the local updates a RoundStart asks for.
 */
/** The most nodes of one run (Setup data.nodeCount). */
export const MAX_NODES_PER_RUN = 10_000;
/** The most classes of a softmax or MLP model (as many as a label histogram may have). */
export const MAX_CLASSES = MAX_HISTOGRAM_BINS;
/** The most clusters of a K-means model. */
export const MAX_CLUSTERS = 1024;
/** The widest MLP hidden layer. */
export const MAX_HIDDEN_UNITS = 4096;
/** The most weights of a model: 2^24, 128 MiB as float64 (the paper's CNN has 430,698). */
export const MAX_MODEL_WEIGHTS = 16_777_216;
/** The most local updates one round may ask for (RoundStart tau). */
export const MAX_ROUND_TAU = 1_000_000;
