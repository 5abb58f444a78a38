import type { NodeTypes } from '@xyflow/react';
import { NODE_TYPES } from '../../../../engine/journey/nodes.schema.js';
import { JourneyNode } from './JourneyNode.js';

// Defined once, outside any component: a new object per render would remount every node.
export const nodeTypes: NodeTypes = Object.fromEntries(
  Object.keys(NODE_TYPES).map((type) => [type, JourneyNode]),
);
