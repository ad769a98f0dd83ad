// A channel's upgrade graph: rows in version order (newest on top) as HTML, and beside them an SVG of the
// replaces/skips edges as vertical buses in lanes (laid out by the server), so hundreds of bundles stay readable.
import { useState } from 'preact/hooks';
import type { ChannelLayout, GraphRow } from './api';

const ROW = 28;
const LANE = 11;
const PAD = 10;

interface Props {
  layout: ChannelLayout;
  selected: string | null;
  onSelect: (bundle: string) => void;
}

export function ChannelGraph({ layout, selected, onSelect }: Props) {
  const [hover, setHover] = useState<number | null>(null);
  const { rows, buses, lanes } = layout;
  const dotX = PAD + lanes * LANE + 14;
  const width = dotX + 12;
  const height = rows.length * ROW;
  const y = (i: number) => i * ROW + ROW / 2;
  const laneX = (lane: number) => dotX - 14 - lane * LANE;
  const versions = new Map(rows.map((r) => [r.name, r.version || r.name]));
  const versionOf = (name: string) => versions.get(name) ?? name;
  const focus = hover ?? rows.findIndex((r) => r.name === selected);
  const focused = focus >= 0 ? rows[focus] : undefined;
  // What the focused bundle upgrades from, by any edge: its skipRange rows and its buses' targets.
  const related = new Set<number>(focused?.skipRangeRows ?? []);
  for (const b of buses) if (b.from === focus) b.targets.forEach((t) => related.add(t));

  return (
    <div class="graph" style={{ height: `${height}px` }} onMouseLeave={() => setHover(null)}>
      <svg class="graph-edges" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-label={`upgrade graph of channel ${layout.channel}`}>
        <defs>
          <marker id="arrow-replaces" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" class="arrow-replaces" />
          </marker>
          <marker id="arrow-skips" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" class="arrow-skips" />
          </marker>
        </defs>
        {focused && focused.skipRangeRows.length > 0 && (
          <rect class="skiprange-band" x={0} y={Math.min(...focused.skipRangeRows) * ROW + 3} width={4} height={(Math.max(...focused.skipRangeRows) - Math.min(...focused.skipRangeRows) + 1) * ROW - 6} rx={2} />
        )}
        {buses.map((b) => {
          const x = laneX(b.lane);
          const top = Math.min(b.from, ...b.targets);
          const bottom = Math.max(b.from, ...b.targets);
          const active = b.from === focus;
          // Drawn in the upgrade direction (as opm draws it): from each older bundle into the one that replaces or skips it.
          // A skips edge arrives a little above a replaces edge into the same bundle, so both arrows show.
          const arrive = y(b.from) - (b.kind === 'skips' ? 5 : 0);
          const d = [...b.targets.map((t) => `M${dotX - 5},${y(t)} H${x}`), `M${x},${Math.min(y(top), arrive)} V${Math.max(y(bottom), arrive)}`, `M${x},${arrive} H${dotX - 7}`].join(' ');
          return (
            <path
              key={`${b.from}-${b.kind}`}
              d={d}
              class={`edge edge-${b.kind}${active ? ' edge-active' : ''}`}
              marker-end={`url(#arrow-${b.kind})`}
            >
              <title>{`${rows[b.from]!.name} ${b.kind} ${b.targets.map((t) => rows[t]!.name).join(', ')}`}</title>
            </path>
          );
        })}
        {rows.map((r, i) => (
          <circle key={r.name} cx={dotX} cy={y(i)} r={r.head ? 7 : 5} class={`node${r.head ? ' node-head' : ''}${r.otherHead ? ' node-other-head' : ''}${r.deprecated ? ' node-deprecated' : ''}${r.name === selected ? ' node-selected' : ''}`} />
        ))}
      </svg>
      <ol class="graph-rows" style={{ marginLeft: `${width}px` }}>
        {rows.map((r, i) => (
          <Row key={r.name} row={r} index={i} focused={i === focus} related={related.has(i)} selected={r.name === selected} onHover={setHover} onSelect={onSelect} versionOf={versionOf} />
        ))}
      </ol>
    </div>
  );
}

interface RowProps {
  row: GraphRow;
  index: number;
  focused: boolean;
  related: boolean;
  selected: boolean;
  onHover: (i: number) => void;
  onSelect: (b: string) => void;
  versionOf: (name: string) => string;
}

function Row({ row, index, focused, related, selected, onHover, onSelect, versionOf }: RowProps) {
  const skips = (row.skips ?? []).filter((n) => !row.outside.includes(n));
  const cls = ['graph-row', focused && 'is-focused', related && 'is-related', selected && 'is-selected', row.deprecated && 'is-deprecated'].filter(Boolean).join(' ');
  return (
    <li
      class={cls}
      style={{ height: `${ROW}px` }}
      tabIndex={0}
      onMouseEnter={() => onHover(index)}
      onFocus={() => onHover(index)}
      onClick={() => onSelect(row.name)}
      onKeyDown={(e) => e.key === 'Enter' && onSelect(row.name)}
      data-bundle={row.name}
      title={row.deprecated ?? undefined}
    >
      <span class="row-version">{row.version || '—'}</span>
      <span class="row-name">{row.name}</span>
      {row.head && <span class="badge badge-head">head</span>}
      {row.otherHead && <span class="badge badge-warn" title="opm would refuse the channel: more than one head">also a head</span>}
      {row.deprecated && <span class="badge badge-deprecated">deprecated</span>}
      {row.missingBundle && <span class="badge badge-warn">no bundle</span>}
      {skips.length > 0 && <span class="row-skips">skips {skips.map(versionOf).join(', ')}</span>}
      {row.skipRange && <span class="row-skiprange" title={`skipRange: upgrades from the ${row.skipRangeRows.length} entries of this channel in ${row.skipRange}`}>skipRange {row.skipRange}</span>}
      {row.outside.length > 0 && <span class="row-outside" title="edges to bundles that are not entries of this channel">→ {row.outside.join(', ')}</span>}
    </li>
  );
}
