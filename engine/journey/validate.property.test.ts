import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validJourney } from '../../test/fixtures/journey-arbitrary.js';
import { compileJourney } from '../plan/compile.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { JourneyDocument, JourneyNode } from './journey.schema.js';
import { validateJourney } from './validate.js';

const RUNS = { numRuns: 150 };

function codesOf(input: unknown): string[] {
  const result = validateJourney(input);
  return [...new Set(result.issues.map((issue) => issue.code))].sort();
}

function clone(document: JourneyDocument): JourneyDocument {
  return structuredClone(document);
}

/** Nodes from which `id` can be reached, `id` included, the trigger left out. */
function ancestorsOf(document: JourneyDocument, id: string): string[] {
  const found = new Set([id]);
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const edge of document.edges) {
      if (edge.target === next && !found.has(edge.source)) {
        found.add(edge.source);
        queue.push(edge.source);
      }
    }
  }
  found.delete('trigger');
  return [...found].sort();
}

describe('validateJourney (properties)', () => {
  it('accepts every journey the generator of valid journeys makes', () => {
    fc.assert(
      fc.property(validJourney, (document) => {
        expect(validateJourney(document).issues).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof validateJourney(value).ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid journey with one member replaced by anything', () => {
    fc.assert(
      fc.property(validJourney, fc.nat(), fc.anything(), (document, pick, value) => {
        const copy = clone(document) as unknown as Record<string, unknown>;
        const nodes = copy.nodes as Array<Record<string, unknown>>;
        const target = nodes[pick % nodes.length] as Record<string, unknown>;
        const keys = ['id', 'type', 'position', 'data'];
        target[keys[pick % keys.length] as string] = value;

        expect(typeof validateJourney(copy).ok).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('rejects a dropped edge with handle_unconnected', () => {
    fc.assert(
      fc.property(validJourney, fc.nat(), (document, pick) => {
        const copy = clone(document);
        copy.edges.splice(pick % copy.edges.length, 1);

        const codes = codesOf(copy);

        expect(codes).toContain('handle_unconnected');
        expect(
          codes.every((code) => ['handle_unconnected', 'node_unreachable'].includes(code)),
        ).toBe(true);
      }),
      RUNS,
    );
  });

  it('rejects an edge turned back to where it came from with cycle', () => {
    fc.assert(
      fc.property(validJourney, fc.nat(), fc.nat(), (document, pickEdge, pickTarget) => {
        const copy = clone(document);
        const fromSteps = copy.edges.filter((edge) => edge.source !== 'trigger');
        fc.pre(fromSteps.length > 0);
        const edge = fromSteps[pickEdge % fromSteps.length] as JourneyDocument['edges'][number];
        const ancestors = ancestorsOf(copy, edge.source);
        edge.target = ancestors[pickTarget % ancestors.length] as string;

        const codes = codesOf(copy);

        expect(codes).toContain('cycle');
        expect(codes.every((code) => ['cycle', 'node_unreachable'].includes(code))).toBe(true);
      }),
      RUNS,
    );
  });

  it('rejects a variable the trigger event does not carry with variable_unknown', () => {
    fc.assert(
      fc.property(
        validJourney,
        fc.nat(),
        fc.constantFrom('patient.shoeSize', 'appointment.colour', 'encounter.end'),
        (document, pick, variable) => {
          const copy = clone(document);
          const candidates = copy.nodes.filter(
            (candidate) => candidate.type === 'send.email' || candidate.type === 'condition',
          );
          fc.pre(candidates.length > 0);
          const target = candidates[pick % candidates.length] as JourneyNode;
          if (target.type === 'send.email') {
            target.data.template.variables.push(variable);
          } else if (target.type === 'condition') {
            target.data.rules.rules.push({ field: variable, op: 'exists' });
          }

          expect(codesOf(copy)).toEqual(['variable_unknown']);
        },
      ),
      RUNS,
    );
  });

  it('rejects split shares that do not add up to 100 with split_percent_sum', () => {
    fc.assert(
      fc.property(validJourney, fc.integer({ min: 1, max: 50 }), (document, extra) => {
        const copy = clone(document);
        const split = copy.nodes.find((candidate) => candidate.type === 'split');
        fc.pre(split?.type === 'split');
        if (split?.type === 'split') {
          const first = split.data.branches[0] as { percent: number };
          first.percent = (first.percent + extra) % 101;
        }

        expect(codesOf(copy)).toEqual(['split_percent_sum']);
      }),
      RUNS,
    );
  });

  it('rejects a PHI variable in a subject with phi_in_header', () => {
    fc.assert(
      fc.property(validJourney, (document) => {
        const copy = clone(document);
        const send = copy.nodes.find((candidate) => candidate.type === 'send.email');
        fc.pre(send?.type === 'send.email');
        if (send?.type === 'send.email') {
          send.data.template.subject = 'See you {{ appointment.start | local_date }}';
          send.data.template.variables.push('appointment.start');
        }

        expect(codesOf(copy)).toEqual(['phi_in_header']);
      }),
      RUNS,
    );
  });

  it('reports an unknown node type as node_type_unknown and the document as malformed', () => {
    fc.assert(
      fc.property(validJourney, fc.nat(), (document, pick) => {
        const copy = clone(document) as unknown as { nodes: Array<{ type: string }> };
        (copy.nodes[pick % copy.nodes.length] as { type: string }).type = 'send.carrier_pigeon';

        const result = validateJourney(copy);

        expect(result.ok).toBe(false);
        expect(result.ok ? undefined : result.malformed).toBe(true);
        expect(codesOf(copy)).toEqual(['node_type_unknown']);
      }),
      RUNS,
    );
  });
});

describe('compileJourney (properties)', () => {
  it('compiles the same graph to byte-identical output, twice and after a JSON round trip', () => {
    fc.assert(
      fc.property(validJourney, (document) => {
        const first = compileJourney(document);
        const second = compileJourney(JSON.parse(JSON.stringify(document)));

        expect(canonicalJson(second.plan)).toBe(canonicalJson(first.plan));
        expect(second.hash).toBe(first.hash);
      }),
      RUNS,
    );
  });

  it('gives the same hash whatever the order of nodes and edges and wherever nodes sit', () => {
    fc.assert(
      fc.property(validJourney, fc.integer(), (document, seed) => {
        const shuffled = clone(document);
        const order = (length: number) =>
          fc.sample(fc.shuffledSubarray([...Array(length).keys()], { minLength: length }), {
            seed,
            numRuns: 1,
          })[0] as number[];
        shuffled.nodes = order(shuffled.nodes.length).map((index) => ({
          ...(document.nodes[index] as JourneyNode),
          position: { x: index * 40, y: seed % 1000 },
        }));
        shuffled.edges = order(shuffled.edges.length).map(
          (index) => document.edges[index] as JourneyDocument['edges'][number],
        );
        shuffled.name = 'Renamed';

        expect(compileJourney(shuffled).hash).toBe(compileJourney(document).hash);
      }),
      RUNS,
    );
  });
});
