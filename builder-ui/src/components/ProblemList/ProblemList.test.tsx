import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ProblemList } from './ProblemList.js';

describe('ProblemList', () => {
  it('focuses the node a problem is about when it is chosen', () => {
    const onFocus = vi.fn();
    render(
      <ProblemList
        issues={[
          { code: 'node_unreachable', message: 'Node "n1" cannot be reached', nodeId: 'n1' },
        ]}
        onFocus={onFocus}
      />,
    );

    fireEvent.click(screen.getByRole('button', { name: /cannot be reached/ }));

    expect(onFocus).toHaveBeenCalledWith('n1');
  });

  it('says the journey can be published when there are no problems', () => {
    render(<ProblemList issues={[]} onFocus={() => {}} />);

    expect(screen.getByTestId('problems-none').textContent).toContain('can be published');
  });
});
