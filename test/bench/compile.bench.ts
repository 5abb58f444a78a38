import { describe, expect, it } from 'vitest';
import { compileJourney } from '../../engine/plan/compile.js';
import { largeJourney } from './large-journey.js';
import { printFigures, summarise } from './print.js';

describe('validate + compile', () => {
  it('of a 1,000-node journey (target: median under 50 ms)', () => {
    const document = largeJourney(1_000);
    for (let warm = 0; warm < 5; warm += 1) {
      compileJourney(document);
    }

    const times: number[] = [];
    let hash = '';
    for (let round = 0; round < 40; round += 1) {
      const started = performance.now();
      hash = compileJourney(document).hash;
      times.push(performance.now() - started);
    }

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    printFigures(
      'validate + compile, 1,000 nodes (ms)',
      summarise(times),
      'target: median < 50 ms',
    );
  });
});
