#!/usr/bin/env node
// Regenerates the TypeScript of the wire protocol from proto/fedtau.proto:
//
//   node scripts/gen-proto.mjs                 -> src/protocol/gen/fedtau_pb.ts (npm run gen:proto)
//   node scripts/gen-proto.mjs --output DIR    -> DIR/src/protocol/gen/fedtau_pb.ts
//
// The second form is what the freshness test uses to compare the committed file with a fresh
// one. Uses buf (buf.gen.yaml) and protoc-gen-es from node_modules: nothing is downloaded.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const buf = join(root, "node_modules", "@bufbuild", "buf", "bin", "buf");

const args = process.argv.slice(2);
const outputAt = args.indexOf("--output");
const output = outputAt >= 0 ? args[outputAt + 1] : undefined;
if (outputAt >= 0 && !output) {
  console.error("Cannot generate: --output needs a directory");
  process.exit(2);
}
if (!existsSync(buf)) {
  console.error(`Cannot generate: buf is not installed at ${buf} (run npm install)`);
  process.exit(3);
}

const bufArgs = ["generate", "--template", "buf.gen.yaml"];
if (output) bufArgs.push("--output", resolve(output));
execFileSync(process.execPath, [buf, ...bufArgs], { cwd: root, stdio: "inherit" });
