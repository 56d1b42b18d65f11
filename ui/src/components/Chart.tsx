// One chart of the app, drawn by Apache ECharts from an option
// (`charts/options.ts`): it follows its frame's width, and "Save as PNG"
// writes the picture to the downloads folder. The figure carries the series
// it draws (`data-series`), for a reader and the end-to-end tests.
import type { ECharts, EChartsCoreOption } from "echarts/core";
import { useEffect, useRef, useState } from "react";
import { seriesData } from "../charts/options";
import { ipc } from "../ipc";
import { ErrorNote, useAction } from "./common";

export function Chart({
  option,
  title,
  testId,
  height = 260,
  caption,
}: {
  option: EChartsCoreOption;
  /** What the chart shows: its accessible name and the PNG's file name. */
  title: string;
  testId: string;
  height?: number;
  caption?: React.ReactNode;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();
  const series = JSON.stringify(seriesData(option));
  const latest = useRef(option);
  latest.current = option;

  // ECharts is loaded with the first chart (its own chunk), not with the app.
  useEffect(() => {
    let gone = false;
    let drawn: ECharts | null = null;
    let resize: ResizeObserver | null = null;
    void import("../charts/echarts").then(({ echarts }) => {
      const element = frame.current;
      if (gone || !element) return;
      drawn = echarts.init(element, undefined, { renderer: "canvas" });
      drawn.setOption(latest.current, { notMerge: true });
      chart.current = drawn;
      resize = new ResizeObserver(() => drawn?.resize());
      resize.observe(element);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      drawn?.dispose();
      chart.current = null;
    };
  }, []);

  // Drawn again when what it shows changes, not on every render (a zoom stays).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `series` stands for the option's data
  useEffect(() => {
    chart.current?.setOption(latest.current, { notMerge: true });
  }, [series]);

  async function savePng() {
    const drawn = chart.current;
    if (!drawn) return;
    setSaved(null);
    const picture = drawn.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
    await action.run(async () => setSaved(await ipc.chartsSavePng(title, picture)));
  }

  return (
    <figure className="chart" data-testid={testId} data-series={series}>
      <div className="chart-tools">
        <button
          type="button"
          className="link"
          disabled={action.busy}
          onClick={savePng}
          data-testid="chart-png"
        >
          Save as PNG
        </button>
      </div>
      <div ref={frame} className="chart-frame" role="img" aria-label={title} style={{ height }} />
      {caption && <figcaption className="legend">{caption}</figcaption>}
      {saved && (
        <p className="muted" data-testid="chart-saved">
          Saved to {saved}
        </p>
      )}
      <ErrorNote message={action.error} />
    </figure>
  );
}
