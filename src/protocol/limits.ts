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
