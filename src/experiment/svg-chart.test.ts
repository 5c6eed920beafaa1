import { describe, expect, it } from "vitest";
import { linearAxis, logAxis, renderLineChart } from "./svg-chart.js";

describe("SVG chart", () => {
  it("covers a log axis with whole decades", () => {
    const axis = logAxis(1, 100);
    expect(axis.ticks).toEqual([1, 10, 100]);
    expect(axis.scale(10)).toBeCloseTo(0.5, 12);
    expect(logAxis(3, 70).ticks).toEqual([1, 10, 100]);
  });

  it("picks nice linear ticks that cover the data", () => {
    const axis = linearAxis([0.213, 0.248]);
    expect(axis.ticks[0]).toBeLessThanOrEqual(0.213);
    expect(axis.ticks[axis.ticks.length - 1]).toBeGreaterThanOrEqual(0.248);
    expect(axis.ticks).toContain(0.22);
    expect(linearAxis([5, 5]).ticks.length).toBeGreaterThan(1);
  });

  it("draws each series and a legend, and says when there is no data", () => {
    const svg = renderLineChart({
      title: "loss <vs> tau",
      xLabel: "tau",
      yLabel: "loss",
      xLog: true,
      series: [
        {
          name: "fixed",
          color: "#00f",
          kind: "line",
          points: [
            [1, 0.3],
            [10, 0.2],
            [100, 0.25],
          ],
        },
        { name: "adaptive", color: "#f00", kind: "hline", points: [[12, 0.2]] },
      ],
    });
    expect(svg).toContain("loss &lt;vs&gt; tau");
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    const empty = renderLineChart({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [{ name: "s", color: "#000", kind: "line", points: [[1, Number.NaN]] }],
    });
    expect(empty).toContain("no data");
  });
});
