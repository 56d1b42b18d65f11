import { describe, expect, it } from "vitest";
import { blankValues, KINDS, toItem } from "./referenceKinds";

const lookups = {
  categories: [{ value: "cat-1", label: "BEV Beverages" }],
  locations: [{ value: "loc-1", label: "BR-N North Branch" }],
};

function spec(kind: string) {
  const found = KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(kind);
  return found;
}

describe("reference kinds", () => {
  it("starts a product in the first category, active", () => {
    expect(blankValues(spec("product"), lookups)).toEqual({
      sku: "",
      name: "",
      category_id: "cat-1",
      unit: "",
      list_price: "",
      active: true,
    });
  });

  it("sends money with a decimal point and an empty optional branch as null", () => {
    const product = toItem(spec("product"), {
      ...blankValues(spec("product"), lookups),
      list_price: " 12,50 ",
    });
    expect(product).toMatchObject({ kind: "product", fields: { list_price: "12.50" } });
    const customer = toItem(spec("customer"), {
      code: "C1",
      name: "Shop",
      channel: "retail",
      location_id: "",
    });
    expect(customer).toEqual({
      kind: "customer",
      fields: { code: "C1", name: "Shop", channel: "retail", location_id: null },
    });
  });
});
