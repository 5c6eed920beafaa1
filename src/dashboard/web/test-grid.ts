import { drawDigit } from "./digit-canvas.js";
import { el } from "./dom.js";
import { percent } from "./format.js";
import type { PageStore } from "./page-store.js";

interface Cell {
  readonly root: HTMLElement;
  readonly verdict: HTMLElement;
}

/** The test digits with the global model's verdict, mistakes marked, and the accuracy. */
export class TestGrid {
  private cells: Cell[] = [];

  constructor(
    private readonly grid: HTMLElement,
    private readonly summary: HTMLElement,
  ) {}

  draw(store: PageStore): void {
    const test = store.test;
    if (store.testImagesChanged) {
      store.testImagesChanged = false;
      this.cells = (test?.digits ?? []).map((digit) => {
        const canvas = el("canvas", { width: "28", height: "28" });
        const ctx = canvas.getContext("2d");
        if (ctx) drawDigit(ctx, digit.image, 28, 28);
        const verdict = el("span", { class: "verdict" });
        const root = el("figure", { class: "digit", title: `truth: ${digit.truth}` }, [
          canvas,
          verdict,
        ]);
        return { root, verdict };
      });
      this.grid.replaceChildren(...this.cells.map((c) => c.root));
    }
    let wrong = 0;
    this.cells.forEach((cell, k) => {
      const verdict = test?.verdicts?.[k] ?? null;
      const truth = test?.digits[k]?.truth;
      const mistake = verdict !== null && verdict !== truth;
      if (mistake) wrong++;
      cell.verdict.textContent = verdict ?? "…";
      cell.root.classList.toggle("mistake", mistake);
      cell.root.classList.toggle("correct", verdict !== null && !mistake);
      cell.root.title = verdict === null ? `truth: ${truth}` : `model: ${verdict}, truth: ${truth}`;
    });
    if (!test) {
      this.summary.textContent = "waiting for test digits";
      return;
    }
    const shown = this.cells.length;
    this.summary.replaceChildren(
      el("strong", {}, [percent(test.accuracy)]),
      ` accuracy on the test set${test.round === null ? "" : `, round ${test.round}`}`,
      el("span", { class: "muted" }, [test.verdicts ? ` · ${wrong} of ${shown} shown wrong` : ""]),
    );
  }
}
