// A bar chart of monthly amounts, drawn as SVG (no chart library needed for bars).
import { layoutBars } from "../chart";

export function BarChart({
  points,
  formatValue,
  height = 220,
}: {
  points: { label: string; value: number }[];
  formatValue: (value: number) => string;
  height?: number;
}) {
  const width = 900;
  const { bars, top } = layoutBars(points, width, height);
  return (
    <figure className="chart" data-testid="sales-chart">
      <svg viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-label="Actual sales by month">
        <line x1="0" x2={width} y1={height} y2={height} className="axis" />
        <text x="4" y="12" className="axis-label">
          {formatValue(top)}
        </text>
        {bars.map((bar, index) => (
          <g key={bar.label}>
            <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} className="bar">
              <title>{`${bar.label}: ${formatValue(bar.value)}`}</title>
            </rect>
            {index % 3 === 0 && (
              <text x={bar.x} y={height + 16} className="tick">
                {bar.label}
              </text>
            )}
          </g>
        ))}
      </svg>
    </figure>
  );
}
