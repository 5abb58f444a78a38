import type { Template } from '../journey/nodes.schema.js';
import { analysisEngine, TEMPLATE_PARTS, type TemplatePart } from './liquid.js';

/** A variable as a template part uses it. */
export interface VariableUse {
  part: TemplatePart;
  path: string;
}

/** What a template reads, or why it cannot be read. */
export interface TemplateAnalysis {
  uses: VariableUse[];
  syntaxErrors: Array<{ part: TemplatePart; message: string }>;
}

/**
 * The variables each part of a template reads (variables it assigns itself are local and not
 * listed), and the parts that are not valid Liquid.
 */
export function analyseTemplate(template: Template): TemplateAnalysis {
  const analysis: TemplateAnalysis = { uses: [], syntaxErrors: [] };
  for (const part of TEMPLATE_PARTS) {
    const source = template[part];
    if (source === undefined || source === '') {
      continue;
    }
    try {
      const segments = analysisEngine.globalVariableSegmentsSync(source);
      for (const path of new Set(segments.map(toPath))) {
        analysis.uses.push({ part, path });
      }
    } catch (error) {
      analysis.syntaxErrors.push({ part, message: firstLine(error) });
    }
  }
  return analysis;
}

// Index segments (`items[0]`) and nested lookups are cut off: the catalogue's variables are
// plain dotted paths, so anything deeper is reported against its dotted prefix.
function toPath(segments: ReadonlyArray<unknown>): string {
  const names: string[] = [];
  for (const segment of segments) {
    if (typeof segment !== 'string') {
      break;
    }
    names.push(segment);
  }
  return names.join('.');
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
