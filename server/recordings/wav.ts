/**
 * Duration of a PCM WAV file from its header: data bytes over byte rate. MixMonitor
 * writes the sizes when it closes the file; while it is still open they may be zero,
 * so the caller falls back to the file size.
 */
export function wavDurationMs(header: Buffer, fileSize: number): number | undefined {
  if (header.length < 44 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let pos = 12;
  let byteRate = 0;
  while (pos + 8 <= header.length) {
    const id = header.toString('ascii', pos, pos + 4);
    const size = header.readUInt32LE(pos + 4);
    if (id === 'fmt ') byteRate = header.readUInt32LE(pos + 16);
    if (id === 'data') {
      if (!byteRate) return undefined;
      const dataBytes = size > 0 && pos + 8 + size <= fileSize ? size : fileSize - (pos + 8);
      return Math.round((dataBytes / byteRate) * 1000);
    }
    pos += 8 + size + (size % 2);
  }
  return undefined;
}
