import type { JSX } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { NodeReport } from '../../api/reports.js';

/**
 * A version's per-node counts as grouped bars. Fixed size rather than ResponsiveContainer,
 * which measures its parent and draws nothing where layout has no size (jsdom); the table
 * beside it carries the same numbers for screen readers.
 */
export function NodeChart(props: { nodes: NodeReport[] }): JSX.Element {
  return (
    <figure aria-label="Per-node counts chart">
      <BarChart width={720} height={280} data={props.nodes}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="nodeId" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="entered" fill="#4a6fa5" isAnimationActive={false} />
        <Bar dataKey="blocked" fill="#c0504d" isAnimationActive={false} />
        <Bar dataKey="accepted" fill="#4f9a5b" isAnimationActive={false} />
        <Bar dataKey="bounced" fill="#d79b2c" isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
