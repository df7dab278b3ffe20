/**
 * The frame every SVG chart of the console shares: a captioned figure whose drawing is one image
 * with the caption as its accessible name, the horizontal value grid with its labels, and the
 * labels along the time axis. Each chart draws its own marks inside.
 */
import type { ReactNode } from 'react';

export function ChartFrame({
  title,
  className = 'chart',
  attributes,
  width,
  height,
  children,
  after,
}: {
  title: string;
  className?: string;
  /** Extra attributes of the figure (`data-*` for tests and styles). */
  attributes?: Record<`data-${string}`, string>;
  width: number;
  height: number;
  /** The drawing, in SVG. */
  children: ReactNode;
  /** What follows the drawing inside the figure (hidden tables for screen readers). */
  after?: ReactNode;
}) {
  return (
    <figure className={className} {...attributes}>
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
        preserveAspectRatio="xMidYMid meet"
      >
        {children}
      </svg>
      {after}
    </figure>
  );
}

/** Horizontal grid lines across the plot at each tick, labelled on the left. */
export function ValueGrid({
  ticks,
  y,
  left,
  right,
  formatValue,
}: {
  ticks: readonly number[];
  y(value: number): number;
  /** The plot's left and right edges. */
  left: number;
  right: number;
  formatValue(value: number): string;
}) {
  return ticks.map((tick) => (
    <g key={tick} className="chart-grid">
      <line x1={left} x2={right} y1={y(tick)} y2={y(tick)} />
      <text x={left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
        {formatValue(tick)}
      </text>
    </g>
  ));
}

/** Labels along the time axis at `y`, one in every `Math.ceil(count / most)` so they do not collide. */
export function AxisLabels({
  labels,
  x,
  y,
  most,
}: {
  labels: readonly { key: string; text: string }[];
  x(index: number): number;
  y: number;
  most: number;
}) {
  const every = Math.ceil(labels.length / most);
  return labels.map((label, index) =>
    index % every === 0 ? (
      <text key={label.key} className="chart-axis" x={x(index)} y={y} textAnchor="middle">
        {label.text}
      </text>
    ) : null,
  );
}
