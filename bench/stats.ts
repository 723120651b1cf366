import { max, median, min } from "simple-statistics";

// Medians and spreads for the benchmarks: a row is several timed runs of one configuration.

export interface RowSummary {
  median: number;
  min: number;
  max: number;
}

export function summarize(values: number[]): RowSummary {
  return { median: median(values), min: min(values), max: max(values) };
}
