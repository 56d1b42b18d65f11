// A long table drawn a window at a time: only the rows in view of its scroll
// frame (and a few either side) are in the page; spacer rows keep the
// scrollbar true to the whole list. Rows must be of one height.

/** Rows drawn whole below this many: a short list needs no window. */
export const WINDOW_FROM = 400;

export interface RowWindow {
  /** The first row drawn. */
  first: number;
  /** One past the last row drawn. */
  end: number;
  /** Height of the spacer above the rows drawn, in px. */
  before: number;
  /** Height of the spacer below them, in px. */
  after: number;
}

/**
 * Which of `total` rows of `rowHeight` px to draw when the frame, `viewport`
 * px tall, is scrolled `scrollTop` px down (`overscan` rows either side).
 */
export function windowOf(
  total: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  overscan = 10,
): RowWindow {
  if (total < WINDOW_FROM) return { first: 0, end: total, before: 0, after: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const first = Math.min(top, Math.max(0, total - 1));
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { first, end, before: first * rowHeight, after: (total - end) * rowHeight };
}
