import type { Redis } from '../core/redis.js';
import type { Logger } from '../core/logger.js';
import { keys } from '../live/keys.js';

export type OutboxOp = { op: string; args: unknown[] };
// Handlers take the JSON-revived arguments their own `run` calls queued; each room types its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OutboxHandler = (...args: any[]) => Promise<void>;

/**
 * Writes that must survive a database outage. A write that fails is queued in Redis
 * (shared, survives a server restart) and replayed in order once MariaDB answers.
 * Rooms register a handler per operation name ('interaction.insert', 'recording.index');
 * replays are safe because every handler's write is idempotent.
 */
export class Outbox {
  private flushing = false;
  private readonly handlers = new Map<string, OutboxHandler>();

  constructor(private readonly redis: Redis, private readonly log: Logger) {}

  handle(op: string, fn: OutboxHandler): void {
    this.handlers.set(op, fn);
  }

  private async apply(op: OutboxOp): Promise<void> {
    const fn = this.handlers.get(op.op);
    // An operation nobody handles would block the queue forever: keep it visible, move on.
    if (!fn) return this.log.error({ op: op.op }, 'unknown outbox operation dropped');
    await fn(...op.args);
  }

  async run(op: OutboxOp): Promise<void> {
    // Keep order: while older writes wait, newer ones queue behind them.
    if ((await this.redis.llen(keys.outbox()).catch(() => 0)) === 0) {
      try {
        await this.apply(op);
        return;
      } catch (err) {
        this.log.warn({ op: op.op, err: (err as Error).message }, 'database write failed, queued in outbox');
      }
    }
    await this.redis.rpush(keys.outbox(), JSON.stringify(op));
  }

  /** Replays queued writes; stops at the first failure and leaves the rest queued. */
  async flush(): Promise<number> {
    if (this.flushing) return 0;
    this.flushing = true;
    let done = 0;
    try {
      for (;;) {
        const head = await this.redis.lindex(keys.outbox(), 0);
        if (!head) break;
        await this.apply(JSON.parse(head, reviveDates) as OutboxOp);
        await this.redis.lpop(keys.outbox());
        done++;
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message, done }, 'outbox flush paused');
    } finally {
      this.flushing = false;
    }
    if (done) this.log.info({ done }, 'outbox flushed');
    return done;
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'string' && ISO.test(value) ? new Date(value) : value;
}
