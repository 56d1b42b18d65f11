import { describe, expect, it } from "vitest";
import { layoutBars, niceCeiling } from "./chart";

describe("chart", () => {
  it("rounds the axis up to a nice number", () => {
    expect(niceCeiling(87)).toBe(100);
    expect(niceCeiling(120)).toBe(200);
    expect(niceCeiling(2100)).toBe(2500);
    expect(niceCeiling(0)).toBe(1);
  });

  it("scales bars to the axis and never draws below zero", () => {
    const { bars, top } = layoutBars(
      [
        { label: "a", value: 50 },
        { label: "b", value: 100 },
        { label: "c", value: -20 },
      ],
      300,
      200,
    );
    expect(top).toBe(100);
    expect(bars.map((bar) => bar.height)).toEqual([100, 200, 0]);
    expect(bars.map((bar) => bar.y)).toEqual([100, 0, 200]);
    expect(bars[2]?.x).toBe(201);
  });
});
