// Requests one route as one role (or anonymously) and says whether the guard let it through.
import type { FastifyInstance } from 'fastify';

export type Outcome = 'allowed' | 'refused' | 'to-login' | 'unauthorized' | 'csrf';

/** A concrete URL for a route pattern: ids that match nothing, so allowed writes change nothing. */
export function concreteUrl(pattern: string): string {
  return pattern
    .replace(/:([A-Za-z]+)\([^)]*\)/g, '999999')
    .replace(/:id\b|:[A-Za-z]*[Ii]d\b/g, '999999')
    .replace(/:[A-Za-z]+/g, 'zz-none')
    .replace(/\*$/, 'app.css');
}

async function bodyOf(res: { stream(): NodeJS.ReadableStream; headers: Record<string, unknown> }): Promise<string> {
  const stream = res.stream() as NodeJS.ReadableStream & { destroy(): void };
  // An event stream never ends by itself: its headers are the answer.
  if (String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
    stream.destroy();
    return '';
  }
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** What the guard did with the request. Writes carry a valid CSRF token so that only the role decides. */
export async function probe(app: FastifyInstance, method: string, pattern: string, auth: { cookie: string; csrf: string } | null): Promise<{ outcome: Outcome; status: number }> {
  const url = concreteUrl(pattern);
  const write = !['GET', 'HEAD'].includes(method);
  const isApi = url.startsWith('/api/');
  const headers: Record<string, string> = auth ? { cookie: auth.cookie } : {};
  let payload: string | undefined;
  if (write) {
    if (isApi) {
      headers['content-type'] = 'application/json';
      payload = '{}';
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams({ _csrf: auth?.csrf ?? '' }).toString();
    }
  }
  const res = await app.inject({ method: method as 'GET', url, headers, payload, payloadAsStream: true });
  const body = await bodyOf(res);
  const status = res.statusCode;
  if (status === 401) return { outcome: 'unauthorized', status };
  if (status === 302 && String(res.headers.location ?? '').startsWith('/login?next=')) return { outcome: 'to-login', status };
  if (status === 403 && (body.includes('"code":"forbidden"') || body.includes('<code>forbidden</code>'))) return { outcome: 'refused', status };
  if (status === 403 && body.includes('csrf-token-invalid')) return { outcome: 'csrf', status };
  return { outcome: 'allowed', status };
}
