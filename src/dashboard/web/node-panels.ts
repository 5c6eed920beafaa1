import type { WireNode } from "../wire-types.js";
import { digitStrip } from "./digit-canvas.js";
import { el } from "./dom.js";
import { count, duration } from "./format.js";
import type { PageStore } from "./page-store.js";

interface Panel {
  readonly root: HTMLElement;
  readonly status: HTMLElement;
  readonly data: HTMLElement;
  readonly bars: HTMLElement;
  readonly preview: HTMLElement;
  readonly local: HTMLElement;
  readonly delay: HTMLElement;
  previewKey: string;
}

/** One panel per node: online, data size, label histogram, preview digits, local time, delay. */
export class NodePanels {
  private readonly panels = new Map<string, Panel>();

  constructor(
    private readonly container: HTMLElement,
    private readonly empty: HTMLElement,
  ) {}

  draw(store: PageStore): void {
    const all = store.dirtyNodes.has("*");
    for (const [id, panel] of this.panels) {
      if (!store.nodes.has(id)) {
        panel.root.remove();
        this.panels.delete(id);
      }
    }
    const ids = [...store.nodes.keys()].sort(byName);
    for (const id of ids) {
      let panel = this.panels.get(id);
      if (!panel) {
        panel = this.create(id);
        this.panels.set(id, panel);
      }
      if (all || store.dirtyNodes.has(id)) this.fill(panel, store.nodes.get(id)!);
    }
    // Keep the panels in name order.
    ids.forEach((id, k) => {
      const root = this.panels.get(id)!.root;
      if (this.container.children[k] !== root)
        this.container.insertBefore(root, this.container.children[k] ?? null);
    });
    store.dirtyNodes.clear();
    this.empty.hidden = ids.length > 0;
  }

  private create(id: string): Panel {
    const status = el("span", { class: "node-status" });
    const data = el("span", { class: "node-data" });
    const bars = el("div", { class: "histogram", role: "img" });
    const preview = el("div", { class: "node-preview" });
    const local = el("span");
    const delay = el("span");
    const root = el("article", { class: "node card", "data-node": id }, [
      el("header", { class: "node-head" }, [status, el("strong", {}, [id]), data]),
      bars,
      preview,
      el("footer", { class: "node-foot" }, [local, delay]),
    ]);
    return { root, status, data, bars, preview, local, delay, previewKey: "" };
  }

  private fill(panel: Panel, node: WireNode): void {
    panel.root.classList.toggle("offline", !node.online);
    panel.status.textContent = node.online ? "online" : "offline";
    panel.status.className = `node-status ${node.online ? "on" : "off"}`;
    panel.data.textContent = node.dataSize === null ? "" : `D = ${count(node.dataSize)}`;
    this.fillHistogram(panel.bars, node.labelHistogram);
    const key = node.preview ? node.preview.images.join("") : "";
    if (key !== panel.previewKey) {
      panel.previewKey = key;
      const p = node.preview;
      panel.preview.replaceChildren(
        p
          ? digitStrip(p.images, p.width, p.height)
          : el("span", { class: "muted" }, ["no preview shared"]),
      );
    }
    panel.local.textContent = `local ${duration(node.lastLocalSeconds)}`;
    panel.delay.textContent = `delay ${count(node.delayMs)} ms`;
    panel.delay.classList.toggle("delayed", node.delayMs > 0);
  }

  private fillHistogram(bars: HTMLElement, histogram: readonly number[] | null): void {
    const counts = histogram ?? [];
    const max = Math.max(1, ...counts);
    if (bars.children.length !== counts.length) {
      bars.replaceChildren(
        ...counts.map((_, label) =>
          el("div", { class: "bar" }, [el("i"), el("span", {}, [String(label)])]),
        ),
      );
    }
    counts.forEach((n, label) => {
      const bar = bars.children[label] as HTMLElement;
      const fill = bar.firstElementChild as HTMLElement;
      fill.style.height = `${(100 * n) / max}%`;
      bar.title = `label ${label}: ${count(n)} samples`;
      bar.classList.toggle("zero", n === 0);
    });
    bars.setAttribute(
      "aria-label",
      `labels held: ${counts.map((n, l) => `${l}: ${n}`).join(", ")}`,
    );
  }
}

/** "n2" before "n10". */
function byName(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
