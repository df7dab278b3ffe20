import { colourOf } from './chart-scale';

export function ChartLegend({ names }: { names: readonly string[] }) {
  return (
    <ul className="chart-legend">
      {names.map((name, index) => (
        <li key={name}>
          <span className="swatch" style={{ background: colourOf(index) }} aria-hidden="true" />
          {name}
        </li>
      ))}
    </ul>
  );
}
