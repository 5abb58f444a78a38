/** One CSV line (RFC 4180 quoting) of plain values; objects are written as `key=n;key=n`. */
export function csvRow(values: ReadonlyArray<string | number | Record<string, number>>): string {
  return values
    .map((value) => {
      const text =
        typeof value === 'object'
          ? Object.entries(value)
              .map(([key, count]) => `${key}=${count}`)
              .join(';')
          : String(value);
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}
