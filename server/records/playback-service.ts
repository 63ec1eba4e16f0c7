import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { AuditService } from '../audit/index.js';
import type { RecordingService, StoredRecording } from '../recordings/index.js';
import type { AccessRepository } from './access-repository.js';
import type { AccessLogPage, AccessLogQuery, RecordingState } from './schemas.js';
import { recordingDeleted, recordingMissing, recordingNotFound } from './errors.js';

export type Located = { state: 'available'; file: string; size: number } | { state: Exclude<RecordingState, 'available'> };

export interface Reader {
  userId: number;
  username: string;
  ip: string | null;
}

/** A seek inside this long after a logged play continues that play; later, it is a new one. */
const PLAY_SESSION_MS = 30 * 60_000;

/**
 * Who may hear a recording is the route's role check; this service finds the file and keeps
 * the trail: every play or download, sent or not, is a row in recording_access and an entry
 * in the audit log. A seek (a Range not starting at 0) within a play already logged adds none,
 * or one play would write a row per seek.
 */
export class PlaybackService {
  constructor(private readonly d: {
    recordings: Pick<RecordingService, 'get'>;
    access: AccessRepository;
    audit: Pick<AuditService, 'record'>;
    log: Logger;
    /** Host path of the recordings tree; no file outside it is ever sent. */
    recordingsRoot: string;
    /** Turns a recording row's path (as Asterisk named it) into a host path. */
    hostPath: (asteriskPath: string) => string;
  }) {}

  /** Where the file is, if it can be sent. The path comes only from the row, and must resolve inside the recordings tree. */
  async locate(r: StoredRecording): Promise<Located> {
    // Retention marks a file it found already gone as 'missing': that is not a deletion by policy.
    if (r.deletedAt) return { state: r.deletedReason === 'missing' ? 'missing' : 'deleted' };
    const root = await realpath(this.d.recordingsRoot).catch(() => resolve(this.d.recordingsRoot));
    const file = await realpath(resolve(this.d.hostPath(r.path))).catch(() => undefined);
    if (!file) return { state: 'missing' };
    if (!file.startsWith(root + sep)) {
      this.d.log.error({ recordingId: r.id, file }, 'recording path leads outside the recordings directory: refused');
      return { state: 'missing' };
    }
    const s = await stat(file).catch(() => undefined);
    return s?.isFile() ? { state: 'available', file, size: s.size } : { state: 'missing' };
  }

  /**
   * The file to send for a play or download, after logging it. Throws recording-deleted (410)
   * or recording-file-missing (404) after logging the attempt.
   */
  async open(id: number, action: 'play' | 'download', who: Reader, o: { continuing?: boolean } = {}): Promise<{ recording: StoredRecording; file: string; size: number }> {
    const recording = await this.d.recordings.get(id);
    if (!recording) throw recordingNotFound(id);
    const found = await this.locate(recording);
    const at = new Date();
    const seek = action === 'play' && o.continuing && (await this.d.access.playedSince(who.userId, id, new Date(at.getTime() - PLAY_SESSION_MS)));
    if (!seek) await this.trail(recording, action, who, found.state === 'available' ? 'ok' : found.state, at);
    if (found.state !== 'available') throw found.state === 'deleted' ? recordingDeleted(id, recording.deletedAt as Date) : recordingMissing(id);
    return { recording, file: found.file, size: found.size };
  }

  private async trail(r: StoredRecording, action: 'play' | 'download', who: Reader, result: 'ok' | 'deleted' | 'missing', at: Date): Promise<void> {
    await this.d.access.insert({ at, userId: who.userId, username: who.username, recordingId: r.id, interactionId: r.interactionId, action, result, ip: who.ip });
    // The audit log lists every sensitive read too, so one search there shows all a user did.
    await this.d.audit.record({
      actor: { userId: who.userId, username: who.username },
      action: `recording.${action}`,
      target: { type: 'recording', id: r.id },
      after: { interactionId: r.interactionId, result, sensitiveRead: true },
      ip: who.ip,
      at,
    });
    this.d.log.info({ recordingId: r.id, interactionId: r.interactionId, action, result, userId: who.userId }, 'recording access');
  }

  accessLog(q: AccessLogQuery): Promise<AccessLogPage> {
    return this.d.access.search(q);
  }
}
