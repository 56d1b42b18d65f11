import { describe, expect, it } from "vitest";
import {
  formatAmount,
  formatCount,
  formatDay,
  formatExactMoney,
  formatMoney,
  formatPeriod,
  formatQuantity,
  isCounted,
  percentChange,
  plural,
  userLocale,
} from "./format";

describe("format", () => {
  it("counts in the singular where it is one", () => {
    expect([plural(1, "row"), plural(0, "row"), plural(1200, "row")]).toEqual([
      "1 row",
      "0 rows",
      expect.stringMatching(/^1.200 rows$/),
    ]);
  });

  it("leaves a period it cannot show as a month as it is", () => {
    expect(formatPeriod("20262026-01", "en-US")).toBe("20262026-01");
    expect(formatPeriod("2026-13", "en-US")).toBe("2026-13");
  });

  it("shows counted quantities in whole units and measured ones with decimals", () => {
    expect(formatQuantity("0.38", true, "en-US")).toBe("0");
    expect(formatQuantity("25285.4", true, "en-US")).toBe("25,285");
    expect(formatQuantity("12.345", false, "de-DE")).toBe("12,35");
    expect([isCounted("pcs"), isCounted("case"), isCounted("KG"), isCounted(" l ")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("formats exact decimal strings as money in the company currency", () => {
    // Intl puts a no-break space between number and symbol.
    expect(formatMoney("1234567.89", "EUR", "de-DE").replace(/\s/gu, " ")).toBe("1.234.568 €");
    expect(formatMoney("1234.5", "USD", "en-US")).toBe("$1,235");
    expect(formatMoney("not a number", "EUR", "en-US")).toBe("not a number");
  });

  it("falls back to en-GB where the system locale is unusable", () => {
    expect(userLocale(["C", "not a locale!"])).toBe("en-GB");
    expect(userLocale(["de-DE", "en-US"])).toBe("de-DE");
    expect(formatCount(13247, userLocale(["C"]))).toBe("13,247");
  });

  it("shows exact money to the cent", () => {
    expect(formatExactMoney("840.5", "EUR", "en-GB")).toBe("€840.50");
    expect(formatExactMoney("-30.5", "EUR", "en-GB")).toBe("-€30.50");
  });

  it("names months", () => {
    expect(formatPeriod("2026-10", "en-GB")).toBe("Oct 2026");
    expect(formatPeriod("2026-13", "en-GB")).toBe("2026-13");
    expect(formatDay("2026-03-14", "en-GB")).toBe("14 Mar 2026");
    expect(formatAmount("1234.5", "de-DE")).toBe("1.234,50");
    expect(formatAmount("100", "en-GB")).toBe("100.00");
    expect(formatDay("not a day", "en-GB")).toBe("not a day");
  });

  it("computes percent change and refuses a zero base", () => {
    expect(percentChange(200, 230)).toBe(15);
    expect(percentChange(-100, -50)).toBe(50);
    expect(percentChange(0, 10)).toBeNull();
  });
});
