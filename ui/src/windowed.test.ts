import { describe, expect, it } from "vitest";
import { WINDOW_FROM, windowOf } from "./windowed";

describe("a long table is drawn a window at a time", () => {
  it("draws a short list whole", () => {
    expect(windowOf(WINDOW_FROM - 1, 500, 600, 30)).toEqual({
      first: 0,
      end: WINDOW_FROM - 1,
      before: 0,
      after: 0,
    });
  });

  it("draws what is in view and ten rows either side, with spacers for the rest", () => {
    // 10,000 rows of 30 px, a 600 px frame scrolled to row 1,000 (30,000 px): rows 990 to 1,030.
    const window = windowOf(10_000, 30_000, 600, 30);
    expect(window).toEqual({ first: 990, end: 1_030, before: 990 * 30, after: (10_000 - 1_030) * 30 });
    expect(window.before + (window.end - window.first) * 30 + window.after).toBe(10_000 * 30);
  });

  it("starts at the top and stops at the end", () => {
    expect(windowOf(10_000, 0, 600, 30)).toMatchObject({ first: 0, end: 30, before: 0 });
    expect(windowOf(10_000, 10_000 * 30, 600, 30)).toMatchObject({ end: 10_000, after: 0 });
  });
});
