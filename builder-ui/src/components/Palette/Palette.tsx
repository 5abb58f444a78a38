import { type DragEvent, type JSX, memo } from 'react';
import type { NodeType } from '../../../../engine/journey/nodes.schema.js';
import { PALETTE } from '../../graph/node-defaults.js';

/** The drag payload's type: a node type dragged from the palette. */
export const PALETTE_MIME = 'application/x-pathwell-node-type';

/** The node catalogue: click a button to add a node, or drag it onto the canvas. */
function PaletteView({ onAdd }: { onAdd: (type: NodeType) => void }): JSX.Element {
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <nav className="palette" aria-label="Node palette">
      <h2>Add a node</h2>
      {PALETTE.map((entry) => (
        <button
          key={entry.type}
          type="button"
          draggable
          onDragStart={(event) => onDragStart(event, entry.type)}
          onClick={() => onAdd(entry.type)}
          title={entry.hint}
          data-testid={`palette-${entry.type}`}
        >
          <strong>{entry.label}</strong>
          <small>{entry.hint}</small>
        </button>
      ))}
    </nav>
  );
}

/** Memoised: it re-renders only when its own props change, not on every drag frame. */
export const Palette = memo(PaletteView);
