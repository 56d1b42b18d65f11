import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Crashed } from "./components/Crashed";

describe("a screen that fails to draw", () => {
  it("shows its error and a way back instead of a blank window", () => {
    const boundary = new Crashed({ children: <p>the screen</p> });
    expect(renderToStaticMarkup(boundary.render())).toBe("<p>the screen</p>");
    boundary.state = Crashed.getDerivedStateFromError(new Error("Invalid time value"));
    const shown = renderToStaticMarkup(boundary.render());
    expect(shown).toContain("Something went wrong drawing this screen");
    expect(shown).toContain("Invalid time value");
    expect(shown).toContain("Reload the app");
  });
});
