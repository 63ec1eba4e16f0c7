import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { maskNumbersIn } from '../../core/number-mask.js';

declare module 'fastify' {
  interface FastifyReply {
    /** Takes over the response as a Server-Sent Events stream; Fastify sends nothing more on it. */
    eventStream(): EventStream;
  }
}

// Proxies and NAT boxes drop connections that are silent for a minute or so.
const HEARTBEAT_MS = 20_000;
// How long the browser waits before reconnecting after the stream drops.
const RETRY_MS = 3_000;

export class EventStream {
  private closed = false;
  private readonly closers: Array<() => void> = [];
  private readonly heartbeat: NodeJS.Timeout;

  /** `shape` turns an event's data into what this viewer may read (numbers masked for some roles). */
  constructor(private readonly res: ServerResponse, private readonly shape: (data: unknown) => unknown = (d) => d) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // A socket that carried a stream is not worth keeping alive afterwards; `close`
      // lets Node drop it when the stream ends instead of holding it idle.
      connection: 'close',
      // nginx buffers responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.heartbeat = setInterval(() => this.res.write(': ping\n\n'), HEARTBEAT_MS);
    res.on('close', () => this.close());
  }

  /** JSON.stringify never emits a raw newline, so one `data:` line always holds the whole event. */
  send(event: string, data: unknown): void {
    if (!this.closed) this.res.write(`event: ${event}\ndata: ${JSON.stringify(this.shape(data))}\n\n`);
  }

  /** Runs fn once when the client goes away or the server shuts down; at once if that already happened. */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closers.push(fn);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const fn of this.closers.splice(0)) fn();
    this.res.end();
  }
}

async function sse(app: FastifyInstance): Promise<void> {
  const open = new Set<EventStream>();
  app.decorateReply('eventStream', function eventStream(this: FastifyReply): EventStream {
    this.hijack();
    // Every live feed (desk, wallboard, agents, monitoring) masks numbers for roles that do not see them.
    const stream = new EventStream(this.raw, this.request.seesNumbers() ? undefined : maskNumbersIn);
    open.add(stream);
    stream.onClose(() => open.delete(stream));
    return stream;
  });
  // Open streams never end by themselves: without this, closing the server would wait for every browser tab.
  app.addHook('preClose', async () => {
    for (const stream of [...open]) stream.close();
  });
}

export default fp(sse, { name: 'web-sse', dependencies: ['web-number-privacy'] });
