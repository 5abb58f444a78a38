import { AppError } from '../../engine/errors/app-error.js';
import type { JourneyIssue } from '../../engine/journey/graph-rules.js';
import {
  type JourneyDocument,
  JourneyDocumentSchema,
} from '../../engine/journey/journey.schema.js';
import { validateJourney } from '../../engine/journey/validate.js';

/**
 * Reads a journey document a designer saves. A draft may break rules (a canvas half drawn):
 * it is kept, with the validator's issues. A document without the journey format's shape
 * (or with an unknown node type) is refused.
 *
 * @throws AppError `journey_document_malformed` (400) with every problem in `issues`
 */
export function readDraft(input: unknown): { document: JourneyDocument; issues: JourneyIssue[] } {
  const result = validateJourney(input);
  if (result.ok) {
    return { document: result.document, issues: [] };
  }
  if (result.malformed) {
    const count = result.issues.length;
    throw new AppError(
      'journey_document_malformed',
      `The journey document has ${count} problem${count === 1 ? '' : 's'} of shape; fix ` +
        `${count === 1 ? 'it' : 'them'} and send it again (see "issues").`,
      { issues: result.issues },
    );
  }
  return { document: JourneyDocumentSchema.parse(input), issues: result.issues };
}
