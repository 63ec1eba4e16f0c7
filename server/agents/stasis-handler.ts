import type { Logger } from '../core/logger.js';
import type { CallControl, ChannelInfo } from '../telephony/index.js';
import { CallerGone, type IvrIo } from '../ivr/index.js';
import { parseFeature, phoneOfChannel, runFeature, type PhoneSessions } from './phone-dialog.js';

/**
 * Where the agents room takes calls: a desk phone keying a feature code (*70 log in,
 * *71 ready, *72 pause, *73 log out) arrives as `Stasis(cc,feature,<kind>[,<digits>])`.
 * The channel is answered, the dialog runs with the IVR's prompts and digits, and the
 * channel is hung up. The phone is the channel's own endpoint, so a phone can only ever
 * log an agent in on itself.
 */
export class AgentsStasisHandler {
  constructor(private readonly d: {
    calls: CallControl;
    withIo: <T>(channelId: string, fn: (io: IvrIo) => Promise<T>) => Promise<T>;
    sessions: PhoneSessions;
    log: Logger;
  }) {}

  attach(): void {
    this.d.calls.on('stasisStart', ({ channel, args }) => {
      if (args[0] === 'feature') return this.feature(channel, args);
    });
  }

  private async feature(channel: ChannelInfo, args: string[]): Promise<void> {
    const f = parseFeature(args);
    const phone = phoneOfChannel(channel.name);
    const log = this.d.log.child({ channelId: channel.id, phone, feature: f?.kind });
    if (!f || !phone) {
      log.warn({ args, channel: channel.name }, 'feature code refused: unknown code or not a desk phone');
      return this.d.calls.hangup(channel.id);
    }
    try {
      await this.d.calls.answer(channel.id);
      const result = await this.d.withIo(channel.id, (io) => runFeature(f, phone, io, this.d.sessions));
      log.info({ result }, 'feature code');
    } catch (err) {
      if (!(err instanceof CallerGone)) log.error({ err: (err as Error).message }, 'feature code failed');
    } finally {
      await this.d.calls.hangup(channel.id).catch(() => undefined);
    }
  }
}
