/** The data of a series figure (several named series against a common x), as experiments and law checks produce it and the report draws it. */
/** One point of a named series (a method, an instance) for seriesPlot. */
export interface SeriesPoint { x: number; y: number; series: string }

export interface SeriesPlotOptions {
  xLabel: string;
  yLabel: string;
  /** A log y axis (values that are not positive are left out). */
  log?: boolean;
  /** A log x axis (likewise). */
  logX?: boolean;
  /** Horizontal reference lines (dashed, grey), each labelled at its right end. */
  references?: readonly { label: string; y: number }[];
  /** The series in legend order (default: order of first appearance). */
  order?: readonly string[];
  /** Series drawn dashed (fits, theoretical values) rather than solid. */
  dashed?: readonly string[];
  /** A dot at every point too (for short series whose lines overlap). */
  dots?: boolean;
}
