import type { WireLogLine } from "../wire-types.js";
import { el } from "./dom.js";
import type { PageStore } from "./page-store.js";

/** The protocol log, live: the same lines as the terminal, the latest at the bottom. */
export class LogView {
  constructor(private readonly box: HTMLElement) {}

  draw(store: PageStore): void {
    const atBottom = this.box.scrollHeight - this.box.scrollTop - this.box.clientHeight < 24;
    const lines = store.takeNewLogLines();
    if (lines === null) this.box.replaceChildren(...store.log.map(line));
    else this.box.append(...lines.map(line));
    const extra = this.box.childElementCount - store.limits.logLines;
    for (let k = 0; k < extra; k++) this.box.firstElementChild?.remove();
    if (atBottom || lines === null) this.box.scrollTop = this.box.scrollHeight;
  }
}

function line(entry: WireLogLine): HTMLElement {
  return el("div", { class: `log-line ${entry.tone}` }, [entry.text]);
}
