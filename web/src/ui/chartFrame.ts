export interface ChartMargin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface ChartFrame {
  plotWidth: number;
  plotHeight: number;
  /** The horizontal room each point gets. */
  slot: number;
  /** The centre of point `i`'s slot. */
  x: (i: number) => number;
}

/** The plot area inside a chart's margins, split into one slot per point. */
export function chartFrame(width: number, height: number, margin: ChartMargin, count: number): ChartFrame {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  // With no points there is still one (empty) slot, so nothing divides by zero.
  const slot = plotWidth / Math.max(count, 1);
  return { plotWidth, plotHeight, slot, x: (i) => margin.left + slot * (i + 0.5) };
}
