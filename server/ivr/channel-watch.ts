import type { CallControl } from '../telephony/index.js';

// ARI delivers every channel's events on one websocket. The IVR waits on one channel at a
// time per call (its prompt, its keys, its hang-up), so events are routed here by id and
// a waiting step only ever sees its own caller's.

export interface ChannelListener {
  digit(d: string): void;
  gone(): void;
}

export class ChannelWatch {
  private readonly listeners = new Map<string, ChannelListener>();
  private readonly playbacks = new Map<string, () => void>();

  constructor(calls: CallControl) {
    calls.on('channelDtmf', ({ channel, digit }) => this.listeners.get(channel.id)?.digit(digit));
    calls.on('playbackFinished', ({ playbackId }) => {
      const done = this.playbacks.get(playbackId);
      this.playbacks.delete(playbackId);
      done?.();
    });
    calls.on('stasisEnd', ({ channel }) => this.end(channel.id));
    calls.on('channelDestroyed', ({ channel }) => this.end(channel.id));
  }

  listen(channelId: string, l: ChannelListener): () => void {
    this.listeners.set(channelId, l);
    return () => {
      if (this.listeners.get(channelId) === l) this.listeners.delete(channelId);
    };
  }

  /** Resolves when the playback finishes; pair with the channel's gone() for hang-ups. */
  onPlaybackDone(playbackId: string, done: () => void): void {
    this.playbacks.set(playbackId, done);
  }

  forgetPlayback(playbackId: string): void {
    this.playbacks.delete(playbackId);
  }

  private end(channelId: string): void {
    const l = this.listeners.get(channelId);
    this.listeners.delete(channelId);
    l?.gone();
  }
}
