// Empties dist/ before a build: tsc never deletes the output of a source that is gone, so a
// removed module would otherwise stay in dist/ and in the package.
import { rmSync } from "node:fs";

rmSync(new URL("../dist/", import.meta.url), { recursive: true, force: true });
