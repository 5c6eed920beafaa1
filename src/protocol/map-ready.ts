import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import { accepted, type Checked, cannotAccept, protocolError, refused } from "./error-codes.js";
import { PreviewSchema, type Ready, ReadySchema } from "./gen/fedtau_pb.js";
import { MAX_HISTOGRAM_BINS, MAX_PREVIEW_IMAGES, MAX_PREVIEW_SIDE } from "./limits.js";
import type { Preview, ReadyMessage, RunId } from "./messages.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { atLeast, between, rule } from "./schema-rules.js";

const previewRules = z.object({
  height: between(1, MAX_PREVIEW_SIDE),
  width: between(1, MAX_PREVIEW_SIDE),
  labels: z.array(z.number()).check(z.minLength(1), z.maxLength(MAX_PREVIEW_IMAGES)),
});

const readyRules = z
  .object({
    dataSize: atLeast(1),
    labelHistogram: z.array(z.number()).check(z.maxLength(MAX_HISTOGRAM_BINS)),
    preview: z.optional(previewRules),
  })
  .check(
    rule(
      (r) => r.labelHistogram.length === 0 || sum(r.labelHistogram) === r.dataSize,
      "out-of-range",
      (r) => `sums to ${sum(r.labelHistogram)}, expected the data size ${r.dataSize}`,
      ["labelHistogram"],
    ),
  );

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

export function readyToWire(message: ReadyMessage): Ready {
  return create(ReadySchema, {
    dataSize: message.dataSize,
    labelHistogram: [...message.labelHistogram],
    preview:
      message.preview === undefined
        ? undefined
        : create(PreviewSchema, {
            height: message.preview.height,
            width: message.preview.width,
            pixels: message.preview.pixels,
            labels: [...message.preview.labels],
          }),
  });
}

/** A wire Ready, checked: the histogram sums to the data size, the preview's pixels fit. */
export function readyFromWire(wire: Ready, runId: RunId, ctx: ReadContext): Checked<ReadyMessage> {
  const rules = checkWith(readyRules, wire, ctx);
  if (!rules.ok) return rules;
  let preview: Preview | undefined;
  if (wire.preview !== undefined) {
    const p = wire.preview;
    const expected = p.labels.length * p.height * p.width;
    if (p.pixels.byteLength !== expected) {
      return refused(
        protocolError(
          "wrong-length",
          cannotAccept(
            ctx.what,
            ctx.from,
            `expected ${expected} preview pixels (${p.labels.length} images of ${p.height} x ${p.width}), got ${p.pixels.byteLength}`,
          ),
          { field: "preview.pixels" },
        ),
      );
    }
    preview = {
      height: p.height,
      width: p.width,
      pixels: p.pixels.slice(),
      labels: [...p.labels],
    };
  }
  return accepted({
    type: "ready",
    runId,
    dataSize: wire.dataSize,
    labelHistogram: [...wire.labelHistogram],
    ...(preview === undefined ? {} : { preview }),
  });
}
