import { describe, expect, it } from "vitest";
import { moved } from "./home";

describe("arranging the home screen", () => {
  it("moves a widget one place, and not past either end", () => {
    const layout = ["sales", "trend", "movers"] as const;
    expect(moved([...layout], "trend", -1)).toEqual(["trend", "sales", "movers"]);
    expect(moved([...layout], "trend", 1)).toEqual(["sales", "movers", "trend"]);
    expect(moved([...layout], "sales", -1)).toEqual([...layout]);
    expect(moved([...layout], "movers", 1)).toEqual([...layout]);
    expect(moved([...layout], "stock", 1)).toEqual([...layout]);
    // Unmoved, it is the same list: the screen greys out that arrow.
    const same = [...layout];
    expect(moved(same, "sales", -1)).toBe(same);
  });
});
