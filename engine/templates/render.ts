import { AppError } from '../errors/app-error.js';
import type { PlanTemplate } from '../plan/plan.types.js';
import { HEADER_PARTS, renderingEngine, type TemplatePart } from './liquid.js';

/** A message as rendered: what goes into headers is free of line breaks and control codes. */
export interface RenderedMessage {
  subject: string;
  preheader?: string;
  fromName?: string;
  html: string;
  text: string;
}

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: any of them
// in a header value could start a new header ("Ann\r\nBcc: x@evil.test").
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Renders a template with only the variables it declared (minimum necessary, COMPLIANCE.md
 * AC-MIN-1): anything else is not in the context, so using it fails the render.
 *
 * @param template - the plan's template
 * @param values - every value the send could offer, by dotted path; only declared ones are used
 * @param zone - the IANA zone dates and times are shown in
 * @throws AppError `min_necessary_violation` or `template_render_failed`
 */
export function renderMessage(
  template: PlanTemplate,
  values: Readonly<Record<string, unknown>>,
  zone: string,
): RenderedMessage {
  const context = buildContext(template.variables, values);
  const render = (part: TemplatePart, source: string | undefined): string | undefined => {
    if (source === undefined) {
      return undefined;
    }
    const output = renderPart(part, source, context, zone);
    return HEADER_PARTS.includes(part) ? toHeaderValue(output) : output;
  };

  const preheader = render('preheader', template.preheader);
  const fromName = render('fromName', template.fromName);
  return {
    subject: render('subject', template.subject) ?? '',
    ...(preheader === undefined ? {} : { preheader }),
    ...(fromName === undefined ? {} : { fromName }),
    html: render('html', template.html) ?? '',
    text: render('text', template.text) ?? '',
  };
}

/** A value made safe for a header: control characters become one space; ends are trimmed. */
export function toHeaderValue(value: string): string {
  return value
    .replace(HEADER_UNSAFE, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function buildContext(
  declared: readonly string[],
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const context: Record<string, Record<string, unknown>> = {};
  for (const path of declared) {
    const [group, ...rest] = path.split('.');
    if (group === undefined || rest.length === 0) {
      continue;
    }
    const bucket = context[group] ?? {};
    // Declared but absent is null, not missing, so `| default:` works and strict mode does not
    // mistake a patient without a first name for a template bug.
    bucket[rest.join('.')] = values[path] ?? null;
    context[group] = bucket;
  }
  return context;
}

function renderPart(
  part: TemplatePart,
  source: string,
  context: Record<string, unknown>,
  zone: string,
): string {
  try {
    return String(renderingEngine(zone, part === 'html').parseAndRenderSync(source, context));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const isUndeclared = /undefined variable/i.test(message ?? '');
    throw new AppError(
      isUndeclared ? 'min_necessary_violation' : 'template_render_failed',
      isUndeclared
        ? `The ${part} uses a variable the template did not declare (${message}); declare it or remove it.`
        : `The ${part} could not be rendered: ${message}`,
      { cause: error },
    );
  }
}
