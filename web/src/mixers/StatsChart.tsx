import type { RoundPoint } from '../api/mixers';
import { chartFrame } from '../ui/chartFrame';
import { onDay, shortDay } from '../ui/dates';
import { useElementWidth } from '../ui/useElementWidth';
import { percent } from './format';

type RateKey = 'participation' | 'crossTeamRate' | 'repeatRate';

const SERIES: ReadonlyArray<{ key: RateKey; label: string; className: string }> = [
  { key: 'participation', label: 'Participation', className: 'chart-series-1' },
  { key: 'crossTeamRate', label: 'Cross-team pairs', className: 'chart-series-2' },
  { key: 'repeatRate', label: 'Repeat pairs', className: 'chart-series-3' },
];

/** Which x positions get a date label: about `max` of them, the first and the last, each day once. */
function labelledIndexes(labels: string[], max: number): Set<number> {
  const count = labels.length;
  const step = Math.max(1, Math.ceil(count / max));
  const picked = new Set<number>();
  for (let i = 0; i < count; i += step) picked.add(i);
  if (count > 1 && !picked.has(count - 1)) {
    // The last round gets its label in place of one that would crowd it.
    const lastPicked = Math.floor((count - 1) / step) * step;
    if (lastPicked > 0 && count - 1 - lastPicked < step / 2) picked.delete(lastPicked);
    picked.add(count - 1);
  }
  let previous: string | undefined;
  for (const i of [...picked].sort((a, b) => a - b)) {
    if (labels[i] === previous) picked.delete(i);
    else previous = labels[i];
  }
  return picked;
}

/**
 * Per-round participation, cross-team and repeat-pair rates (0–100 %) as lines, with the number
 * of people in each round as faint bars. Described for screen readers by `aria-label` and a
 * visually hidden table of every value.
 */
export function StatsChart({ series, timeZone }: { series: RoundPoint[]; timeZone: string }) {
  const [ref, width] = useElementWidth<HTMLDivElement>(640, 240);
  const height = 240;
  const margin = { top: 12, right: 40, bottom: 30, left: 44 };
  const count = series.length;
  const { plotWidth, plotHeight, slot, x } = chartFrame(width, height, margin, count);
  const y = (ratio: number) => margin.top + plotHeight * (1 - Math.min(1, Math.max(0, ratio)));
  const maxPeople = Math.max(1, ...series.map((p) => p.members));
  const peopleY = (n: number) => margin.top + plotHeight * (1 - n / maxPeople);
  const barWidth = Math.max(2, Math.min(28, slot * 0.5));
  const dayLabels = series.map((point) => shortDay(point.scheduledFor, timeZone));
  const labels = labelledIndexes(dayLabels, Math.max(2, Math.floor(plotWidth / 64)));

  const last = series[count - 1];
  const summary =
    count === 0
      ? 'No rounds yet.'
      : `Rates per round over ${count} ${count === 1 ? 'round' : 'rounds'}, from ${onDay(series[0]?.scheduledFor ?? '', timeZone)} to ${onDay(last?.scheduledFor ?? '', timeZone)}. Latest round: participation ${percent(last?.participation ?? 0)}, cross-team pairs ${percent(last?.crossTeamRate ?? 0)}, repeat pairs ${percent(last?.repeatRate ?? 0)}, ${last?.members ?? 0} people.`;

  return (
    <figure className="chart">
      <div ref={ref} className="chart-canvas">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
          {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
            <g key={tick}>
              <line className="chart-grid" x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} />
              <text className="chart-tick" x={margin.left - 8} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                {percent(tick)}
              </text>
            </g>
          ))}
          <text className="chart-tick" x={width - margin.right + 8} y={peopleY(maxPeople)} dominantBaseline="middle">
            {maxPeople}
          </text>
          <text className="chart-tick" x={width - margin.right + 8} y={y(0)} dominantBaseline="middle">
            0
          </text>
          <g>
            {series.map((point, i) => (
              <rect
                key={point.scheduledFor}
                className="chart-bar"
                x={x(i) - barWidth / 2}
                width={barWidth}
                y={peopleY(point.members)}
                height={Math.max(0, y(0) - peopleY(point.members))}
                rx={2}
              />
            ))}
          </g>
          {SERIES.map((s) => (
            <g key={s.key} className={s.className}>
              {count > 1 ? (
                <polyline
                  className="chart-line"
                  points={series.map((point, i) => `${x(i)},${y(point[s.key])}`).join(' ')}
                />
              ) : null}
              {series.map((point, i) => (
                <circle key={point.scheduledFor} className="chart-dot" cx={x(i)} cy={y(point[s.key])} r={3.5}>
                  <title>{`${s.label}, ${onDay(point.scheduledFor, timeZone)}: ${percent(point[s.key])}`}</title>
                </circle>
              ))}
            </g>
          ))}
          {series.map((point, i) =>
            labels.has(i) ? (
              <text key={point.scheduledFor} className="chart-tick" x={x(i)} y={height - 8} textAnchor="middle">
                {dayLabels[i]}
              </text>
            ) : null,
          )}
        </svg>
      </div>
      <figcaption className="chart-legend">
        <ul>
          {SERIES.map((s) => (
            <li key={s.key} className={s.className}>
              <span className="chart-swatch" />
              {s.label}
            </li>
          ))}
          <li className="chart-people">
            <span className="chart-swatch" />
            People in the round (right scale)
          </li>
        </ul>
      </figcaption>
      {/* A table can't be shrunk to 1 px itself: its wrapper hides it. */}
      <div className="visually-hidden">
        <table>
          <caption>Mixer rounds, one row per round</caption>
          <thead>
            <tr>
              <th scope="col">Round</th>
              <th scope="col">People</th>
              <th scope="col">Participation</th>
              <th scope="col">Cross-team pairs</th>
              <th scope="col">Repeat pairs</th>
            </tr>
          </thead>
          <tbody>
            {series.map((point) => (
              <tr key={point.scheduledFor}>
                <th scope="row">{onDay(point.scheduledFor, timeZone)}</th>
                <td>{point.members}</td>
                <td>{percent(point.participation)}</td>
                <td>{percent(point.crossTeamRate)}</td>
                <td>{percent(point.repeatRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
