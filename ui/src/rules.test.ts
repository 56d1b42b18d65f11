import { describe, expect, it } from "vitest";
import { weekAfter } from "./rules";

describe("alert rules", () => {
  it("snooze a week: seven calendar days on, across a month and a year end", () => {
    expect(weekAfter(new Date(2026, 11, 7))).toBe("2026-12-14");
    expect(weekAfter(new Date(2026, 11, 28))).toBe("2027-01-04");
    expect(weekAfter(new Date(2028, 1, 25))).toBe("2028-03-03");
  });
});
