import { AppError, isAppError } from '../../errors/app-error.js';

// A body is typed as FHIR R4 but never checked against it: where a reader walks into a field,
// these keep a value of the wrong type (a string for an array, a number for a string, null in
// a list) from throwing. What they drop reads as absent, which the readers already handle.

/** The entries of `value` that are objects, when it is an array; otherwise none. */
export function objectsIn<T extends object>(value: unknown): T[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is T => typeof entry === 'object' && entry !== null)
    : [];
}

/** The entries of `value` that are strings, when it is an array; otherwise none. */
export function stringsIn(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : [];
}

/** `value` when it is a finite number. */
export function finiteNumberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `value` when it is a string. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs a reading of a body and turns a TypeError or RangeError out of it into the sender's
 * fault. The readers guard the fields they walk into, but a body is not checked against FHIR
 * first, so a field of the wrong type in a place no guard covers would otherwise throw, and
 * answer 500 (Pathwell's fault, retried forever) instead of 422. The FHIR readers' exported
 * functions run through this, so input makes them throw nothing but AppErrors.
 *
 * @throws AppError 422 `resource_shape_invalid` in place of such an error; others unchanged
 */
export function readAsSenderFault<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isAppError(error) || !(error instanceof TypeError || error instanceof RangeError)) {
      throw error;
    }
    throw new AppError(
      'resource_shape_invalid',
      'A field of a resource in the body does not have the type FHIR R4 gives it (for example ' +
        'a single value where a list belongs, or a number where text belongs); check the ' +
        'resources against the FHIR R4 specification and send them again.',
      { cause: error },
    );
  }
}
