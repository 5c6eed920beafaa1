import { describe, expect, it } from "vitest";
import { toCsv } from "./csv-table.js";

describe("CSV", () => {
  it("writes a header, full-precision numbers, empty cells for null and quotes where needed", () => {
    const csv = toCsv(
      [
        { header: "name", value: (r: { n: string; v: number | null }) => r.n },
        { header: "value", value: (r) => r.v },
      ],
      [
        { n: "a", v: 0.1 + 0.2 },
        { n: 'say "hi", then go', v: null },
        { n: "x", v: Number.NaN },
      ],
    );
    expect(csv).toBe('name,value\na,0.30000000000000004\n"say ""hi"", then go",\nx,NaN\n');
  });
});
