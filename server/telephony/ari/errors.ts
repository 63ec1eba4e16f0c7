/** ari-client loses HTTP statuses; its messages still name them, so this reads them back. */
export function ariStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; message?: string } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.status === 'number') return e.status;
  const msg = e?.message ?? '';
  if (/not found/i.test(msg)) return 404;
  if (/not in stasis|not in a stasis/i.test(msg)) return 422;
  if (/conflict|already exists/i.test(msg)) return 409;
  if (/unauthori[sz]ed|401/i.test(msg)) return 401;
  return undefined;
}

/** A channel or bridge that is gone is a normal outcome of telephony, not a failure. */
export function isGone(err: unknown): boolean {
  const status = ariStatus(err);
  return status === 404 || status === 422;
}

export class AriAuthError extends Error {
  constructor() {
    super('ARI authentication failed: check ari.username and ari.password against ari.conf');
    this.name = 'AriAuthError';
  }
}
