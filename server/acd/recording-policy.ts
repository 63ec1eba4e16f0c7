import type { AcdDeps } from './acd-service.js';

/**
 * Who turned recording off for a call: the number it came in on, the queue that answered
 * it, or the caller, who declined at the number's consent announcement (or was never
 * told, when the announcement could not be played).
 */
export type RecordingOff = 'did' | 'queue' | 'consent';

/**
 * Every answered call is recorded unless its DID or the queue it is first answered in
 * turns recording off. Asked once, at the first answer: a recording once started runs
 * on the caller's channel to the end of the call (a transfer into a queue with recording
 * off does not stop it), and a call not recorded then is not started later by a
 * transfer into a recorded queue, so a file is always the whole call from its answer.
 */
export async function recordingOff(d: Pick<AcdDeps, 'queues' | 'didRoute' | 'log'>, call: { id: string; did?: string; queue?: string; consent?: string }): Promise<RecordingOff | undefined> {
  if (call.consent === 'declined' || call.consent === 'unavailable') return 'consent';
  // The DID is read from MariaDB: while it is down its switch counts as on, the default.
  const didOff = call.did
    ? await d.didRoute(call.did).then((r) => r?.recording === false, (err: Error) => {
      d.log.warn({ interactionId: call.id, err: err.message }, 'DID recording switch unreadable, taken as on');
      return false;
    })
    : false;
  if (didOff) return 'did';
  // Queue settings come from the ACD's cache, which keeps its last good copy through an outage.
  if (call.queue && (await d.queues.get(call.queue))?.recording === false) return 'queue';
  return undefined;
}
