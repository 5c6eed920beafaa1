import { loadEmbeddedMnist } from "../../datasets/embedded-mnist.js";
import { createDashboardApp } from "../dashboard-app.js";
import { startDashboardServer } from "../dashboard-server.js";
import { SimulatorSource } from "../simulator-source.js";
import { svmSetup } from "./svm-setup.js";

/**
 * The dashboard on the in-process simulator, for developing the page:
 *   node --import tsx src/dashboard/test-support/dev-server.ts [port] [delay ms]
 * serves the built page (npm run build:web) and the API on the port (default 5174); `npx vite`
 * then serves the page from source on 5173 with the API proxied here. Five simulated nodes run
 * the demonstration's setup (smooth SVM even/odd on the embedded MNIST, adaptive tau, 60 s
 * budgets, run after run) with the round engine and costs measured as `fedtau demo` measures
 * them; the added delay (default 30 ms, as the demo's) keeps the rounds at a pace to follow.
 * FEDTAU_ADMIN_TOKEN set: controls need it.
 */
const port = Number(process.argv[2] ?? 5174);
const delayMs = Number(process.argv[3] ?? 30);

const source = new SimulatorSource({
  setup: svmSetup(),
  data: await loadEmbeddedMnist(),
  nodes: 5,
  delays: [{ target: "all", ms: delayMs }],
});
const adminToken = process.env.FEDTAU_ADMIN_TOKEN;
const dashboard = createDashboardApp({ source, ...(adminToken ? { adminToken } : {}) });
source.start();
const started = await startDashboardServer(dashboard, { port });
console.log(`dashboard on the simulator at ${started.url}`);
const stop = () => {
  void source
    .close()
    .then(() => started.close())
    .then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
