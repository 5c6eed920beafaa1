import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The dashboard page (src/dashboard/web/), built into dist/dashboard-web/, which the aggregator
 * serves. `npx vite` runs it in development against the API of the dashboard on the simulator
 * on port 5174 (`node --import tsx src/dashboard/test-support/dev-server.ts`). Vitest has its
 * own vitest.config.ts.
 */
export default defineConfig({
  root: fileURLToPath(new URL("src/dashboard/web/", import.meta.url)),
  base: "./",
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("dist/dashboard-web/", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: { "/api": { target: "http://127.0.0.1:5174" } },
  },
});
