import type { Redis } from '../core/redis.js';

// Live records (calls, callbacks) are Redis hashes with a `state` field that only moves
// by compare-and-set, so two handlers or two instances never both win a transition.

/** The defined fields of a record as hash fields (numbers and booleans as text). */
export function toHash(fields: object): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) flat[k] = String(v);
  return flat;
}

/** Sets the hash's `state` to `to` only while it is `from`; false when someone moved it first. */
export async function moveState(redis: Redis, key: string, from: string, to: string): Promise<boolean> {
  const ok = await redis.eval(
    `if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
     redis.call('HSET', KEYS[1], 'state', ARGV[2]) return 1`,
    1, key, from, to,
  );
  return ok === 1;
}
