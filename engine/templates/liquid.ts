import { Liquid } from 'liquidjs';
import { DateTime } from 'luxon';

/** The template parts a designer writes. */
export const TEMPLATE_PARTS = ['subject', 'preheader', 'fromName', 'html', 'text'] as const;
/** A template part. */
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** Parts that become message headers: no PHI, no line breaks. */
export const HEADER_PARTS: readonly TemplatePart[] = ['subject', 'preheader', 'fromName'];

// Liquid rather than a template engine that compiles to JavaScript: designers' templates are
// data, and Liquid evaluates them without eval, own properties only, within set limits.
const LIMITS = { parseLimit: 200_000, renderLimit: 2_000, memoryLimit: 20_000_000 } as const;

/** The Liquid engine that analyses templates; rendering engines add the patient's zone. */
export const analysisEngine = new Liquid({ ...LIMITS, strictFilters: false });

/**
 * A Liquid engine for rendering one message part.
 *
 * @param zone - the IANA zone dates and times are shown in
 * @param isHtml - whether output is HTML-escaped (HTML body) or left as is (text, headers)
 */
export function renderingEngine(zone: string, isHtml: boolean): Liquid {
  const engine = new Liquid({
    ...LIMITS,
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    outputEscape: isHtml ? 'escape' : undefined,
  });
  const inZone = (value: unknown) => DateTime.fromISO(String(value), { zone }).setLocale('en-US');
  engine.registerFilter('local_date', (value: unknown) =>
    inZone(value).toFormat('cccc, LLLL d, yyyy'),
  );
  engine.registerFilter('local_time', (value: unknown) => inZone(value).toFormat('h:mm a ZZZZ'));
  engine.registerFilter('local_datetime', (value: unknown) =>
    inZone(value).toFormat("cccc, LLLL d, yyyy 'at' h:mm a ZZZZ"),
  );
  return engine;
}

/** The filters Pathwell adds to Liquid's own. */
export const PATHWELL_FILTERS = ['local_date', 'local_time', 'local_datetime'] as const;
