import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportsPage } from './ReportsPage.js';

function node(nodeId: string, entered: number) {
  return {
    nodeId,
    kind: 'send.email',
    entered,
    passed: entered - 1,
    blocked: 1,
    blockedByReason: {},
    sentByMethod: {},
    accepted: entered - 1,
    bounced: 0,
    unsubscribed: 0,
  };
}

describe('ReportsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("charts a version's nodes, lists its domains and links both CSVs", async () => {
    const paths: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string) => {
        paths.push(path);
        const body = path.startsWith('/api/reports/versions/')
          ? { versionId: 'v1', runs: 12, nodes: [node('send1', 12), node('send2', 7)] }
          : {
              domains: [
                {
                  domain: 'clinic.example',
                  messages: 9,
                  tls: 9,
                  portal: 0,
                  pgp: 0,
                  blocked: 1,
                  bounced: 1,
                  bounceRate: 0.125,
                },
              ],
            };
        return new Response(JSON.stringify(body), { status: 200 });
      }),
    );
    render(<ReportsPage />);
    fireEvent.change(screen.getByLabelText('Version id'), { target: { value: 'v1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show report' }));
    const nodes = await screen.findByRole('table', { name: 'Per-node counts' });
    expect(within(nodes).getAllByRole('row')).toHaveLength(3);
    const domains = screen.getByRole('table', { name: 'Per-domain counts' });
    expect(within(domains).getByText('12.5%')).toBeTruthy();
    // One bar per node and series with a count: 4 series × 2 nodes, less the two zero bounces.
    const chart = screen.getByRole('figure', { name: 'Per-node counts chart' });
    expect(chart.querySelectorAll('.recharts-bar-rectangle')).toHaveLength(6);
    const csv = screen.getByRole('link', { name: 'Download nodes CSV' });
    expect(csv.getAttribute('href')).toBe('/api/reports/versions/v1?format=csv');
    expect(paths).toContain('/api/reports/domains?versionId=v1');
  });
});
