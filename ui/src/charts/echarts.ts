// Apache ECharts, with only the parts the app draws (tree-shaken): bar and
// line charts and heatmaps on a grid, with tooltips, legends, zoom on time
// axes and a visual map, drawn on a canvas (which is what exports a PNG).
// Loaded with the first chart (components/Chart.tsx), as its own chunk.
// ECharts writes `constructor` on plain objects as it loads, which a frozen
// Object.prototype forbids: tauri.conf.json does not freeze it (see
// docs/ARCHITECTURE.md).
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
