import { create } from "@bufbuild/protobuf";
import * as z from "zod/mini";
import { accepted, type Checked } from "./error-codes.js";
import { CapabilitiesSchema, type Register, RegisterSchema } from "./gen/fedtau_pb.js";
import { MAX_SOFTWARE_CHARS, MAX_TOKEN_CHARS } from "./limits.js";
import type { RegisterMessage } from "./messages.js";
import { checkWith, type ReadContext } from "./read-context.js";
import { nodeName, text } from "./schema-rules.js";

const registerRules = z.object({
  nodeName: nodeName(),
  token: text(MAX_TOKEN_CHARS),
  software: text(MAX_SOFTWARE_CHARS),
});

export function registerToWire(message: RegisterMessage): Register {
  return create(RegisterSchema, {
    nodeName: message.id,
    token: message.token,
    capabilities: create(CapabilitiesSchema, message.capabilities),
    software: message.software,
  });
}

/** A wire Register, checked. Absent capabilities mean none. */
export function registerFromWire(wire: Register, ctx: ReadContext): Checked<RegisterMessage> {
  const rules = checkWith(registerRules, wire, ctx);
  if (!rules.ok) return rules;
  return accepted({
    type: "register",
    id: wire.nodeName,
    token: wire.token,
    capabilities: {
      float32Vectors: wire.capabilities?.float32Vectors ?? false,
      sharePreview: wire.capabilities?.sharePreview ?? false,
    },
    software: wire.software,
  });
}
