import type { TalksResults } from '../api/talks';
import { chartFrame } from '../ui/chartFrame';
import { atMinute, clockTime, shortDay } from '../ui/dates';
import { useElementWidth } from '../ui/useElementWidth';

/**
 * Votes over time: the running total as a line over the votes of each period as bars, drawn as
 * inline SVG at the container's width. Screen readers get a summary and a table of every period.
 */
export function VotesChart({ timeline, timeZone }: { timeline: TalksResults['timeline']; timeZone: string }) {
  const [ref, width] = useElementWidth<HTMLDivElement>(640, 260);
  const points = timeline.points;
  if (!points.length) return <p className="muted">No votes yet.</p>;
  const height = 220;
  const margin = { top: 12, right: 16, bottom: 28, left: 40 };
  const { plotHeight, slot, x } = chartFrame(width, height, margin, points.length);
  const maxTotal = Math.max(1, ...points.map((p) => p.total));
  const maxBar = Math.max(1, ...points.map((p) => p.votes));
  const y = (total: number) => margin.top + plotHeight - (total / maxTotal) * plotHeight;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.total).toFixed(1)}`).join(' ');
  const area = `${line} L${x(points.length - 1).toFixed(1)},${margin.top + plotHeight} L${x(0).toFixed(1)},${margin.top + plotHeight} Z`;
  const ticks = [...new Set([0, Math.round(maxTotal / 2), maxTotal])];
  // Bars have a scale of their own (the busiest period reaches 40% of the height, clear of the
  // gridline at half), marked on the right.
  const BAR_SHARE = 0.4;
  const barTop = margin.top + plotHeight * (1 - BAR_SHARE);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const sameDay = shortDay(first.at, timeZone) === shortDay(last.at, timeZone);
  const axisLabel = (iso: string) => (sameDay ? clockTime(iso, timeZone) : shortDay(iso, timeZone));
  const hours = timeline.bucketMinutes / 60;
  const period =
    timeline.bucketMinutes === 1
      ? 'minute'
      : timeline.bucketMinutes < 60
        ? `${timeline.bucketMinutes} minutes`
        : hours === 1
          ? 'hour'
          : hours < 24
            ? `${hours} hours`
            : hours === 24
              ? 'day'
              : `${hours / 24} days`;
  const summary = `${last.total} votes between ${atMinute(first.at, timeZone)} and ${atMinute(last.at, timeZone)}, counted per ${period}.`;

  return (
    <figure className="talks-chart">
      <div ref={ref} className="talks-chart-canvas">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
          {ticks.map((t) => (
            <g key={t}>
              <line className="talks-chart-grid" x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} />
              <text className="talks-chart-tick" x={margin.left - 6} y={y(t) + 4} textAnchor="end">
                {t}
              </text>
            </g>
          ))}
          {points.map((p, i) => {
            const h = (p.votes / maxBar) * plotHeight * BAR_SHARE;
            return (
              <rect
                key={p.at}
                className="talks-chart-bar"
                x={x(i) - Math.max(1, slot * 0.35)}
                width={Math.max(2, slot * 0.7)}
                y={margin.top + plotHeight - h}
                height={h}
              />
            );
          })}
          <text
            className="talks-chart-tick talks-chart-bar-tick"
            x={width - margin.right}
            y={barTop - 4}
            textAnchor="end"
          >
            {maxBar} per {period === 'minute' || period === 'hour' || period === 'day' ? period : 'period'}
          </text>
          <path className="talks-chart-area" d={area} />
          <path className="talks-chart-line" d={line} />
          <text className="talks-chart-tick" x={margin.left} y={height - 8} textAnchor="start">
            {axisLabel(first.at)}
          </text>
          <text className="talks-chart-tick" x={width - margin.right} y={height - 8} textAnchor="end">
            {axisLabel(last.at)}
          </text>
        </svg>
      </div>
      <figcaption className="card-meta">
        Line: votes so far, on the left scale. Bars: votes cast per {period}, on their own scale (the busiest period is
        marked on the right). {summary}
      </figcaption>
      <table className="visually-hidden">
        <caption>Votes per period</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Votes</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.at}>
              <td>{atMinute(p.at, timeZone)}</td>
              <td>{p.votes}</td>
              <td>{p.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
