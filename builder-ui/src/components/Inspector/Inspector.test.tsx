import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CanvasNode } from '../../graph/graph.types.js';
import { defaultDataFor } from '../../graph/node-defaults.js';
import { Inspector } from './Inspector.js';

function sendNode(subject: string): CanvasNode {
  const data = defaultDataFor('send.email');
  return {
    id: 'send',
    type: 'send.email',
    position: { x: 0, y: 0 },
    data: {
      ...data,
      template: {
        ...data.template,
        subject,
        variables: ['appointment.start', 'patient.firstName'],
      },
    },
  };
}

describe('Inspector', () => {
  it('warns where a PHI variable lands in the subject, and previews with a sample patient', () => {
    render(
      <Inspector
        node={sendNode('Visit on {{ appointment.start }}')}
        eventType="appointment.booked"
        problems={[]}
        onChange={() => {}}
        graph={{ nodes: [], edges: [] }}
        onConnect={() => {}}
      />,
    );

    expect(screen.getByRole('alert').textContent).toContain('appointment.start');
    expect(screen.getByTestId('preview-subject').textContent).toContain('2026-12-10');
  });

  it('shows no PHI warning for a subject without PHI', () => {
    render(
      <Inspector
        node={sendNode('A message from your clinic')}
        eventType="appointment.booked"
        problems={[]}
        onChange={() => {}}
        graph={{ nodes: [], edges: [] }}
        onConnect={() => {}}
      />,
    );

    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('hands each edit to onChange with the field it belongs to', () => {
    const onChange = vi.fn();
    render(
      <Inspector
        node={sendNode('Hello')}
        eventType="appointment.booked"
        problems={['A problem']}
        onChange={onChange}
        graph={{ nodes: [], edges: [] }}
        onConnect={() => {}}
      />,
    );

    fireEvent.change(screen.getByLabelText('Purpose'), { target: { value: 'operations' } });

    expect(onChange).toHaveBeenCalledWith(
      'send',
      'purpose',
      expect.objectContaining({ purpose: 'operations' }),
    );
    expect(screen.getByText('A problem')).toBeTruthy();
  });
});

describe('Inspector outcomes', () => {
  it('connects an outcome to the chosen node from a labelled list', () => {
    const onConnect = vi.fn();
    const exit: CanvasNode = {
      id: 'end',
      type: 'exit',
      position: { x: 0, y: 0 },
      data: { outcome: 'done' },
    };
    const send = sendNode('Hello');
    render(
      <Inspector
        node={send}
        eventType="appointment.booked"
        problems={[]}
        onChange={() => {}}
        graph={{ nodes: [send, exit], edges: [] }}
        onConnect={onConnect}
      />,
    );

    fireEvent.change(screen.getByLabelText('out'), { target: { value: 'end' } });

    expect(onConnect).toHaveBeenCalledWith('send', 'out', 'end');
  });
});
