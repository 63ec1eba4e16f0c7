import type { AcdDeps } from './acd-service.js';

/** Who turned recording off for a call: the number it came in on, or the queue that answered it. */
export type RecordingOff = 'did' | 'queue';

/**
 * Every answered call is recorded unless its DID or the queue it is first answered in
 * turns recording off. Asked once, at the first answer: a recording once started runs
 * on the caller's channel to the end of the call (a transfer into a queue with recording
 * off does not stop it), and a call not recorded then is not started later by a
 * transfer into a recorded queue, so a file is always the whole call from its answer.
 */
export async function recordingOff(d: Pick<AcdDeps, 'queues' | 'didRoute'>, call: { did?: string; queue?: string }): Promise<RecordingOff | undefined> {
  if (call.did && (await d.didRoute(call.did))?.recording === false) return 'did';
  if (call.queue && (await d.queues.get(call.queue))?.recording === false) return 'queue';
  return undefined;
}
