// Just enough MIME to read back what nodemailer sent to the SMTP sink: the parts of a
// multipart message, their headers, and their bodies decoded.

export interface MimePart {
  headers: Record<string, string>;
  body: Buffer;
}

function splitHead(text: string): { headers: Record<string, string>; rest: string } {
  const end = text.indexOf('\r\n\r\n');
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: end < 0 ? '' : text.slice(end + 4) };
}

function decode(body: string, encoding = ''): Buffer {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1');
  }
  return Buffer.from(body, 'utf8');
}

/** The leaf parts of a message (nested multiparts flattened), in order. */
export function mimeParts(message: string): MimePart[] {
  const { headers, rest } = splitHead(message);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) return [{ headers, body: decode(rest, headers['content-transfer-encoding']) }];
  return rest.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).flatMap((p) => mimeParts(p.replace(/^\r\n/, '')));
}

export function subjectOf(message: string): string {
  const raw = splitHead(message).headers.subject ?? '';
  // RFC 2047 encoded words, as nodemailer writes non-ASCII subjects.
  return raw.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decode(text.replace(/_/g, ' '), 'quoted-printable').toString('utf8'));
}
