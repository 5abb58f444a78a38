import { act, render } from '@testing-library/react';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import type { CanvasNode } from '../../graph/graph.types.js';
import { defaultDataFor } from '../../graph/node-defaults.js';
import type { NodeCounts } from '../../graph/run-counts.js';
import { createOverlayStore } from '../../graph/overlay-store.js';
import { nodeTypes } from './node-types.js';
import { OverlayContext } from './overlay-context.js';

const nodes: CanvasNode[] = [
  {
    id: 'ask',
    type: 'wait.event',
    position: { x: 0, y: 0 },
    data: { eventType: 'appointment.confirmed', timeout: { amount: 2, unit: 'days' } },
  },
  {
    id: 'mail',
    type: 'send.email',
    position: { x: 300, y: 0 },
    data: defaultDataFor('send.email'),
  },
  {
    id: 'arm',
    type: 'split',
    position: { x: 0, y: 200 },
    data: {
      branches: [
        { id: 'a', percent: 50 },
        { id: 'b', percent: 50 },
      ],
    },
  },
];

function renderCanvas() {
  const store = createOverlayStore();
  const view = render(
    <OverlayContext.Provider value={store}>
      <ReactFlowProvider>
        <div style={{ width: 800, height: 600 }}>
          <ReactFlow nodes={nodes} edges={[]} nodeTypes={nodeTypes} />
        </div>
      </ReactFlowProvider>
    </OverlayContext.Provider>,
  );
  return { store, container: view.container };
}

describe('JourneyNode', () => {
  it('says what the node does and offers a named handle per outcome', () => {
    const { container } = renderCanvas();

    const ask = container.querySelector('[data-testid="node-ask"]');
    expect(ask?.textContent).toContain('Wait for appointment.confirmed, at most 2 days');
    const handles = [...(ask?.querySelectorAll('.react-flow__handle.source') ?? [])];
    expect(handles.map((h) => h.getAttribute('data-handleid'))).toEqual(['received', 'timeout']);
    const arm = container.querySelector('[data-testid="node-arm"]');
    expect(arm?.querySelectorAll('.react-flow__handle.source')).toHaveLength(2);
  });

  it('shows the problems of its own node only', () => {
    const { store, container } = renderCanvas();

    act(() => store.setProblems(new Map([['arm', ['Split percentages add up to 90']]])));

    const arm = container.querySelector('[data-testid="node-arm"]');
    expect(arm?.className).toContain('has-problems');
    expect(arm?.textContent).toContain('add up to 90');
    expect(container.querySelector('[data-testid="node-ask"]')?.className).not.toContain(
      'has-problems',
    );
  });

  it('shows run counts on its own node, with the blocked reasons in words', () => {
    const { store, container } = renderCanvas();
    const mail = () => container.querySelector('[data-testid="counts-mail"]');
    expect(mail()).toBeNull();

    act(() =>
      store.setCounts(
        new Map<string, NodeCounts>([
          [
            'mail',
            { entered: 3, sent: 1, blocked: 2, blockedByReason: { no_consent: 1, quiet: 1 } },
          ],
          ['ask', { entered: 4, sent: 0, blocked: 0, blockedByReason: {} }],
        ]),
      ),
    );

    expect(mail()?.textContent).toBe(
      'Real runs: entered 3 · sent 1 · blocked 2. Blocked: no_consent 1, quiet 1',
    );
    expect(mail()?.getAttribute('title')).toBe('Blocked: no_consent 1, quiet 1');
    const ask = container.querySelector('[data-testid="counts-ask"]');
    expect(ask?.textContent).toBe('Real runs: entered 4');
    expect(ask?.hasAttribute('title')).toBe(false);
    expect(container.querySelector('[data-testid="counts-arm"]')).toBeNull();

    act(() => store.setCounts(new Map()));
    expect(mail()).toBeNull();
  });
});
