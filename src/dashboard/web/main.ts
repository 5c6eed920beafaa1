import "uplot/dist/uPlot.min.css";
import "./style.css";
import { ChartGrid } from "./chart-grid.js";
import { ControlPanel } from "./control-panel.js";
import { ControllerPanel } from "./controller-panel.js";
import { byId } from "./dom.js";
import { LiveConnection } from "./live-connection.js";
import { LogView } from "./log-view.js";
import { NodePanels } from "./node-panels.js";
import { PageStore } from "./page-store.js";
import { RunHeader } from "./run-header.js";
import { TestGrid } from "./test-grid.js";

/**
 * The dashboard page: one store fed by the live connection; the views draw what changed, at most
 * once per animation frame, however fast the rounds come.
 */
const base = new URL(".", window.location.href);
const store = new PageStore();
const header = new RunHeader(byId("run-summary"), byId("connection"));
const charts = new ChartGrid(byId("charts"));
const nodes = new NodePanels(byId("nodes"), byId("nodes-empty"));
const test = new TestGrid(byId("test-grid"), byId("test-summary"));
const log = new LogView(byId("log"));
const controls = new ControlPanel(base, store);
const controller = new ControllerPanel(byId("controller"));

let frame: number | null = null;

function schedule(): void {
  if (frame === null) frame = requestAnimationFrame(draw);
}

function draw(): void {
  frame = null;
  const dirty = store.dirty;
  if (dirty.has("header")) header.draw(store);
  if (dirty.has("charts")) charts.draw(store);
  if (dirty.has("nodes")) nodes.draw(store);
  if (dirty.has("test")) test.draw(store);
  if (dirty.has("log")) log.draw(store);
  if (dirty.has("settings") || dirty.has("nodes")) controls.draw();
  controller.draw();
  dirty.clear();
}

new LiveConnection(base, {
  onSnapshot: (snapshot) => {
    store.load(snapshot);
    controller.book.load(snapshot);
    schedule();
  },
  onChange: (change) => {
    store.apply(change);
    controller.book.apply(change);
    schedule();
  },
  onStatus: (status) => header.showConnection(status),
}).start();
