import type { JourneyDocument } from '../../engine/journey/journey.schema.js';

const COLUMNS = 25;

/** The journey with its nodes on a grid, so both canvases draw the same picture. */
export function gridded(document: JourneyDocument): JourneyDocument {
  return {
    ...document,
    nodes: document.nodes.map((node, index) => ({
      ...node,
      position: { x: (index % COLUMNS) * 300, y: Math.floor(index / COLUMNS) * 180 },
    })),
  };
}
