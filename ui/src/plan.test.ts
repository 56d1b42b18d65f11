import { describe, expect, it } from "vitest";
import { noPlanMessage } from "./plan";

describe("a missing plan", () => {
  it("says nothing when a budget is approved", () => {
    expect(noPlanMessage({ approved: 2, not_approved: 3 }, 2026, "Base")).toBeNull();
  });
  it("says what to do when there is no budget at all", () => {
    expect(noPlanMessage({ approved: 0, not_approved: 0 }, 2026, "Base")).toBe(
      "No approved budget for 2026 — make one in Budgets. Sales are shown without a variance until then.",
    );
  });
  it("counts the budgets that are not approved yet, and names a scenario other than Base", () => {
    expect(noPlanMessage({ approved: 0, not_approved: 1 }, 2027, "Stretch")).toBe(
      "No approved budget for 2027 (Stretch) yet: 1 budget is still a draft or waiting for approval. Sales are shown without a variance until one is approved.",
    );
  });
});
