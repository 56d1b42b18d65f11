// Forecast methods as people say them, with the technical name and a one-line
// explanation for the "details" toggle. Keys are the forecast engine's.

export interface MethodName {
  /** What a planner calls it. */
  plain: string;
  /** What a statistician calls it. */
  technical: string;
  /** One line on what it does. */
  explanation: string;
}

const METHODS: Record<string, MethodName> = {
  zero: {
    plain: "No sales yet",
    technical: "zero",
    explanation: "No history, or only zeros: the forecast is 0.",
  },
  snaive: {
    plain: "Same month last year",
    technical: "seasonal naive",
    explanation: "Each month repeats the same month of last year.",
  },
  moving_average: {
    plain: "Recent average",
    technical: "moving average",
    explanation: "The average of the last months, for short histories.",
  },
  ses: {
    plain: "Steady level",
    technical: "simple exponential smoothing",
    explanation: "A level that follows recent months more than older ones; no trend, no season.",
  },
  holt: {
    plain: "Trend",
    technical: "Holt linear trend",
    explanation: "A level and a trend carried forward.",
  },
  holt_damped: {
    plain: "Trend that levels off",
    technical: "Holt damped trend",
    explanation: "A trend that flattens out over the coming months.",
  },
  holt_winters_additive: {
    plain: "Trend and season",
    technical: "Holt-Winters additive",
    explanation: "Level, trend and a seasonal pattern that adds the same amount each year.",
  },
  holt_winters_multiplicative: {
    plain: "Trend and season in proportion",
    technical: "Holt-Winters multiplicative",
    explanation: "Level, trend and a seasonal pattern that grows with the sales.",
  },
  croston: {
    plain: "Occasional sales",
    technical: "Croston",
    explanation: "For products that sell in some months only: size and spacing of the sales.",
  },
  tsb: {
    plain: "Occasional sales, fading",
    technical: "TSB (Teunter-Syntetos-Babai)",
    explanation: "Like occasional sales, but lets the chance of a sale fade for products going out.",
  },
};

export function methodName(key: string): MethodName {
  return METHODS[key] ?? { plain: key, technical: key, explanation: "" };
}

export const METHOD_KEYS = Object.keys(METHODS);
