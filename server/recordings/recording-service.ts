import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { PbxManager } from '../telephony/index.js';
import type { Outbox } from '../live/index.js';
import type { RecordingRepository, RecordingRecord, StoredRecording } from './recording-repository.js';
import { wavDurationMs } from './wav.js';

export interface RecordingServiceDeps {
  pbx: PbxManager;
  repo: RecordingRepository;
  outbox: Outbox;
  log: Logger;
  /** Directory as Asterisk sees it (inside its chroot). */
  asteriskDir: string;
  /** Turns an Asterisk path into a path this process can read. */
  hostPath: (asteriskPath: string) => string;
}

/**
 * Records the caller's channel with MixMonitor (so the recording follows the caller
 * through later transfers) into a dated tree, and indexes the file once it is closed.
 */
export class RecordingService {
  constructor(private readonly d: RecordingServiceDeps) {
    d.outbox.handle('recording.index', (r: RecordingRecord) => d.repo.insert(r));
  }

  /** One recording's row, retention's mark included; undefined when there is no such recording. */
  get(id: number): Promise<StoredRecording | undefined> {
    return this.d.repo.get(id);
  }

  /** An interaction's recordings, oldest first. */
  ofInteraction(interactionId: string): Promise<StoredRecording[]> {
    return this.d.repo.ofInteraction(interactionId);
  }

  pathFor(interactionId: string, at: Date): string {
    const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
    return `${this.d.asteriskDir}/${day}/${interactionId}.wav`;
  }

  async start(channelName: string, interactionId: string, at = new Date()): Promise<string> {
    const path = this.pathFor(interactionId, at);
    await this.d.pbx.startRecording(channelName, path);
    this.d.log.info({ interactionId, path }, 'recording started');
    return path;
  }

  /**
   * Closes the recording while the caller stays on the line (the post-call survey): the
   * call's recording ends with the talk, and `finish` sees a file that stops growing.
   */
  async stop(channelName: string, interactionId: string): Promise<void> {
    await this.d.pbx.stopRecording(channelName);
    this.d.log.info({ interactionId }, 'recording stopped before the survey');
  }

  /** Waits until MixMonitor has closed the file (its size stops changing), then indexes it. */
  async finish(r: { interactionId: string; agentId: number | null; path: string; startedAt: Date }): Promise<void> {
    const file = this.d.hostPath(r.path);
    const size = await this.waitStable(file);
    if (size === undefined) {
      this.d.log.error({ interactionId: r.interactionId, file }, 'recording file missing after call');
      return;
    }
    const fh = await open(file, 'r');
    const header = Buffer.alloc(4096);
    await fh.read(header, 0, header.length, 0).finally(() => fh.close());
    const durationMs = wavDurationMs(header, size) ?? 0;
    const sha256 = await sha256File(file);
    await this.d.outbox.run({ op: 'recording.index', args: [{ ...r, sizeBytes: size, durationMs, sha256 }] });
    this.d.log.info({ interactionId: r.interactionId, size, durationMs }, 'recording indexed');
  }

  /**
   * Free and total space of the file system the recordings are written to (statfs on
   * the directory as this process sees it, or its nearest existing parent before the
   * first recording made it). Undefined when even that cannot be read.
   */
  async diskSpace(): Promise<{ path: string; freeBytes: number; totalBytes: number } | undefined> {
    const path = this.d.hostPath(this.d.asteriskDir);
    for (let dir = path; ; dir = dirname(dir)) {
      try {
        const s = await statfs(dir);
        // bavail, not bfree: the blocks reserved for root are not there for Asterisk.
        return { path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) {
          this.d.log.warn({ path, err: (err as Error).message }, 'recordings disk space unreadable');
          return undefined;
        }
      }
    }
  }

  private async waitStable(file: string, timeoutMs = 15000): Promise<number | undefined> {
    let last = -1;
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const s = await stat(file).catch(() => undefined);
      if (s && s.size === last && s.size > 44) return s.size;
      last = s?.size ?? -1;
      await new Promise((res) => setTimeout(res, 500));
    }
    return last >= 0 ? last : undefined;
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
