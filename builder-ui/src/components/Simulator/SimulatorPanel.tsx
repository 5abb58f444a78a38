import { type JSX, memo, useEffect, useId, useState } from 'react';
import { api, type FixtureSample } from '../../api/client.js';
import type { JourneyDocument } from '../../../../engine/journey/journey.schema.js';
import { type SimulationView, simulateJourney } from '../../graph/simulation.js';
import { SelectField, TextArea, TextField } from '../Inspector/fields.js';
import { type ArrivalDraft, ArrivalList, toArrivals } from './ArrivalList.js';
import { SAMPLE_EVENTS } from './sample-events.js';

interface SimulatorProps {
  /** The journey as it is now; read when the simulation runs. */
  getDocument: () => JourneyDocument;
  canSimulate: boolean;
  onResult: (view: SimulationView | null) => void;
}

/**
 * Runs the journey through the engine's simulator on a virtual clock: a shipped sample event or
 * pasted event data, a start instant and the patient's zone; shows every send in UTC and in the
 * patient's zone with its purpose and protection, and lights the path on the canvas.
 */
function SimulatorPanelView({ getDocument, canSimulate, onResult }: SimulatorProps): JSX.Element {
  const [sampleName, setSampleName] = useState('');
  const [pasted, setPasted] = useState('');
  const [startAt, setStartAt] = useState('2026-12-01T09:00:00Z');
  const [zone, setZone] = useState('America/New_York');
  const [view, setView] = useState<SimulationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const [fixtures, setFixtures] = useState<FixtureSample[]>([]);
  const [arrivals, setArrivals] = useState<ArrivalDraft[]>([]);
  useEffect(() => {
    // The fixtures exist only where PATHWELL_FIXTURES does; without them the list stays short.
    api.simulatorSamples().then(
      (answer) => setFixtures(answer.samples),
      () => setFixtures([]),
    );
  }, []);

  const choose = (name: string) => {
    setSampleName(name);
    const fixture = fixtures.find((entry) => entry.name === name);
    if (fixture !== undefined) {
      setStartAt(fixture.suggestedStartAt);
    }
  };

  const run = () => {
    try {
      const sample = SAMPLE_EVENTS.find((entry) => entry.name === sampleName);
      const fixture = fixtures.find((entry) => entry.name === sampleName);
      const eventData =
        pasted.trim() !== ''
          ? (JSON.parse(pasted) as Record<string, unknown>)
          : (fixture?.data ?? sample?.data(startAt));
      const next = simulateJourney(getDocument(), {
        startAt,
        patientTimeZone: zone === '' ? undefined : zone,
        orgTimeZone: 'America/New_York',
        ...(eventData === undefined ? {} : { eventData }),
        arrivals: toArrivals(arrivals),
      });
      setView(next);
      setError(null);
      onResult(next);
    } catch (caught) {
      setView(null);
      setError(caught instanceof Error ? caught.message : String(caught));
      onResult(null);
    }
  };

  return (
    <section className="simulator" aria-labelledby={headingId} data-testid="simulator">
      <h2 id={headingId}>Simulate</h2>
      <SelectField
        label="Sample event"
        value={sampleName}
        options={[
          { value: '', label: 'made up from the catalogue' },
          ...SAMPLE_EVENTS.map((entry) => ({ value: entry.name, label: entry.label })),
          ...fixtures.map((entry) => ({ value: entry.name, label: entry.label })),
        ]}
        onChange={choose}
      />
      <TextArea label="Or paste event data (JSON)" value={pasted} onChange={setPasted} rows={3} />
      <TextField label="Virtual clock starts at (UTC)" value={startAt} onChange={setStartAt} />
      <TextField label="Patient time zone" value={zone} onChange={setZone} />
      <ArrivalList value={arrivals} defaultAt={startAt} onChange={setArrivals} />
      <button type="button" onClick={run} disabled={!canSimulate}>
        Run simulation
      </button>
      {!canSimulate ? <p>Fix the problems first: only a valid journey can run.</p> : null}
      {error !== null ? <p className="warning">{error}</p> : null}
      {view !== null ? <Timeline view={view} /> : null}
    </section>
  );
}

function Timeline({ view }: { view: SimulationView }) {
  const { result } = view;
  return (
    <div className="timeline" data-testid="timeline">
      <p>
        Ends <strong>{result.end.outcome}</strong>
        {result.end.reason ? ` (${result.end.reason})` : ''} at {result.endedAt} UTC; patient zone{' '}
        {result.zone}.
      </p>
      <table>
        <caption>Sends</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">UTC</th>
            <th scope="col">Patient's time</th>
            <th scope="col">Purpose</th>
            <th scope="col">Protection</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {view.sends.map((send) => (
            <tr key={`${send.stepId}-${send.atUtc}`}>
              <td>{send.stepId}</td>
              <td>{send.atUtc}</td>
              <td>{send.atLocal}</td>
              <td>{send.purpose}</td>
              <td>{send.protection}</td>
              <td>{send.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ol aria-label="Path">
        {result.path.map((step) => (
          <li key={`${step.stepId}-${step.at}`}>
            {step.at} — {step.stepId} ({step.kind}): {step.outcome}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The simulator panel; memoised, so dragging nodes does not re-render it. */
export const SimulatorPanel = memo(SimulatorPanelView);
