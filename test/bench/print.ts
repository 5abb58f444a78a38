/** The figures of a series of measurements. */
export interface Summary {
  count: number;
  median: number;
  min: number;
  max: number;
  p90: number;
}

/** Median, spread and 90th percentile of a series. */
export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 0
      ? ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
      : (sorted[Math.floor(middle)] ?? 0);
  return {
    count: sorted.length,
    median,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    p90: at(0.9),
  };
}

/** Prints a benchmark's figures where `npm run bench` shows them. */
export function printFigures(title: string, summary: Summary, note = ''): void {
  const round = (value: number) => value.toFixed(value < 10 ? 3 : 1);
  process.stdout.write(
    `\n${title}: median ${round(summary.median)}, min ${round(summary.min)}, ` +
      `p90 ${round(summary.p90)}, max ${round(summary.max)} (n=${summary.count})` +
      `${note === '' ? '' : `  [${note}]`}\n`,
  );
}
