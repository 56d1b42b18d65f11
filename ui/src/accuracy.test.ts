import { describe, expect, it } from "vitest";
import { accuracySentence, againstLastYear, leaning, snapshotLabel, typicalError } from "./accuracy";

describe("accuracy in plain words", () => {
  it("says how far off, which way and against last year", () => {
    expect(typicalError("12.4")).toBe("12 %");
    expect(typicalError(null)).toBe("–");
    expect([leaning("4.4"), leaning("-7.6"), leaning("1.9"), leaning(null)]).toEqual([
      "too high by 4 %",
      "too low by 8 %",
      "about right",
      "–",
    ]);
    expect([againstLastYear("0.8"), againstLastYear("1.2"), againstLastYear("1.0")]).toEqual([
      "better",
      "worse",
      "about the same",
    ]);
  });
  it("leads with one sentence", () => {
    expect(accuracySentence({ points: 21, wape: "12.4", bias: "-3.2", mase: "0.7" })).toBe(
      "Over 21 month forecasts scored, the forecast was typically 12 % off, leaning too low by 3 %, and did better than simply repeating last year.",
    );
    expect(accuracySentence({ points: 0, wape: null, bias: null, mase: null })).toBe("Nothing to score yet.");
  });
  it("names a snapshot by its month", () => {
    expect(snapshotLabel("as of 2026-10", (p) => `<${p}>`)).toBe("as of <2026-10>");
    expect(snapshotLabel("Total", (p) => p)).toBe("Total");
  });
});
