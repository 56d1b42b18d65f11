// Geometry of a bar chart: pure, so it is tested without a browser.

export interface Bar {
  label: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A "nice" upper bound for the axis: 1, 2, 2.5 or 5 × 10^n at or above `max`. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= max) ?? 10;
  return step * power;
}

export function layoutBars(
  points: { label: string; value: number }[],
  width: number,
  height: number,
  gap = 2,
): { bars: Bar[]; top: number } {
  const top = niceCeiling(Math.max(0, ...points.map((point) => point.value)));
  const slot = points.length > 0 ? width / points.length : 0;
  const bars = points.map((point, index) => {
    const barHeight = (Math.max(0, point.value) / top) * height;
    return {
      label: point.label,
      value: point.value,
      x: index * slot + gap / 2,
      y: height - barHeight,
      width: Math.max(1, slot - gap),
      height: barHeight,
    };
  });
  return { bars, top };
}
