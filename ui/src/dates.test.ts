import { describe, expect, it } from "vitest";
import { sinceInstant } from "./dates";

describe("since", () => {
  it("starts at local midnight: today, or days back across a month's end", () => {
    const now = new Date(2027, 2, 2, 15, 30);
    expect(sinceInstant(null, now)).toBeUndefined();
    expect(sinceInstant(1, now)).toBe(new Date(2027, 2, 2).toISOString());
    expect(sinceInstant(7, now)).toBe(new Date(2027, 1, 24).toISOString());
  });
});
