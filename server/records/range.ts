/**
 * The byte range a browser asks for with `Range: bytes=a-b` (a seek in an <audio> player),
 * clamped to the file. Only one range: players never ask for several, and answering a
 * multipart body for them would be dead code. Returns 'unsatisfiable' for a range that starts
 * past the end (the caller answers 416), undefined when there is no usable Range header (the
 * whole file is sent, as RFC 9110 allows for a header it does not understand).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    // bytes=-N: the last N bytes.
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}
