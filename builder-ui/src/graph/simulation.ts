import type { JourneyDocument } from '../../../engine/journey/journey.schema.js';
import type { CareEvent } from '../../../engine/events/care-event.js';
import { compileJourney } from '../../../engine/plan/compile.js';
import { sampleEvent, samplePatient } from '../../../engine/simulator/sample-event.js';
import {
  type SimulatedArrival,
  type SimulationResult,
  simulate,
} from '../../../engine/simulator/simulate.js';

/** One send of the timeline, with what its node asks for. */
export interface TimelineSend {
  stepId: string;
  atUtc: string;
  atLocal: string;
  outcome: string;
  purpose: string;
  protection: string;
}

/** What the simulator panel shows. */
export interface SimulationView {
  result: SimulationResult;
  sends: TimelineSend[];
  pathNodeIds: Set<string>;
  pathEdgeIds: Set<string>;
}

/** What to simulate with: the designer's choices. */
export interface SimulationOptions {
  startAt: string;
  patientTimeZone: string | undefined;
  orgTimeZone: string;
  /** Event data to use instead of the made-up sample (pasted, or a shipped sample). */
  eventData?: Record<string, unknown>;
  /** What reaches the run while it waits: a reschedule, a confirmation, a cancellation. */
  arrivals?: readonly SimulatedArrival[];
}

/**
 * Compiles the journey and runs it through the engine's simulator on a virtual clock, exactly
 * as the server's simulate route does, then marks the path on the canvas.
 *
 * @throws AppError `journey_invalid` when the journey does not compile
 */
export function simulateJourney(
  document: JourneyDocument,
  options: SimulationOptions,
): SimulationView {
  const { plan } = compileJourney(document);
  const trigger = document.nodes.find((node) => node.type === 'trigger.event');
  const eventType = trigger?.type === 'trigger.event' ? trigger.data.eventType : undefined;
  const sample: CareEvent = sampleEvent(eventType, options.startAt);
  const event = options.eventData === undefined ? sample : { ...sample, data: options.eventData };
  const result = simulate({
    journeyId: 'simulation',
    plan,
    event,
    patient: samplePatient(plan.patientFields, options.patientTimeZone),
    startAt: options.startAt,
    orgTimeZone: options.orgTimeZone,
    ...(options.arrivals === undefined ? {} : { arrivals: options.arrivals }),
  });

  const byId = new Map(document.nodes.map((node) => [node.id, node]));
  const sends = result.sends.map((send) => {
    const node = byId.get(send.stepId);
    const data = node?.type === 'send.email' ? node.data : undefined;
    return {
      stepId: send.stepId,
      atUtc: send.at,
      atLocal: send.local,
      outcome: send.outcome,
      purpose: data?.purpose ?? '',
      protection: data?.protection ?? '',
    };
  });
  const pathNodeIds = new Set(result.path.map((step) => step.stepId));
  for (const node of document.nodes) {
    if (node.type.startsWith('trigger.')) {
      pathNodeIds.add(node.id);
    }
  }
  const pathEdgeIds = new Set(
    document.edges
      .filter((edge) => pathNodeIds.has(edge.source) && pathNodeIds.has(edge.target))
      .filter((edge) => takenFrom(result, edge.source, edge.sourceHandle))
      .map((edge) => edge.id),
  );
  return { result, sends, pathNodeIds, pathEdgeIds };
}

// An edge is lit when the run left its source through its handle (triggers have one outcome).
function takenFrom(result: SimulationResult, source: string, handle: string | null): boolean {
  const step = result.path.find((record) => record.stepId === source);
  if (step === undefined) {
    return true;
  }
  return handle === null || handle === 'out' || step.outcome === handle;
}
