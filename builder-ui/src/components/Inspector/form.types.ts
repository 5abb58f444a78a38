import type { JourneyNode } from '../../../../engine/journey/journey.schema.js';

/** The data of a node type. */
export type DataOf<TType extends JourneyNode['type']> = Extract<
  JourneyNode,
  { type: TType }
>['data'];

/** What every per-type form takes: the node's data, its trigger's event type, and a setter. */
export interface FormProps<TType extends JourneyNode['type']> {
  data: DataOf<TType>;
  eventType: string | undefined;
  /** Replaces the data; `field` groups keystrokes in one field into one undo step. */
  onChange: (field: string, data: DataOf<TType>) => void;
}
