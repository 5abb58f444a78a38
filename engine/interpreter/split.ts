import { sha256Hex } from '../util/hash.js';

/**
 * The branch a patient takes at a split: the same patient, journey and split always give the
 * same branch (so a replayed or re-entered run never switches arms), and across patients the
 * branches fill in proportion to their percentages.
 *
 * @param branches - the split's branches; percentages add up to 100
 * @param patientId - Pathwell's opaque patient id
 * @param journeyId - the journey, so two journeys' splits are independent
 * @param stepId - the split's node id, so two splits in one journey are independent
 */
export function splitBranch(
  branches: ReadonlyArray<{ id: string; percent: number }>,
  patientId: string,
  journeyId: string,
  stepId: string,
): string {
  const bucket =
    Number.parseInt(sha256Hex(`${journeyId}\u0000${stepId}\u0000${patientId}`).slice(0, 8), 16) %
    100;
  let upper = 0;
  for (const branch of branches) {
    upper += branch.percent;
    if (bucket < upper) {
      return branch.id;
    }
  }
  return branches[branches.length - 1]?.id ?? 'out';
}
