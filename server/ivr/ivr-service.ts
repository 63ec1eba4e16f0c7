import type { Logger } from '../core/logger.js';
import type { CallControl } from '../telephony/index.js';
import { CallIo } from './call-io.js';
import type { ChannelWatch } from './channel-watch.js';
import type { FlowService } from './flow-service.js';
import { runFlow, type RunResult } from './flow-runner.js';
import type { PathEntry } from './schemas.js';
import type { IvrIo } from './ivr-io.js';
import type { PromptService } from './prompt-service.js';
import type { ScheduleService } from './schedule-service.js';

export interface IvrRun {
  interactionId: string;
  channelId: string;
  flow: string;
  /** Call attributes; set, collect and lookup steps add to them. */
  attrs: Record<string, string>;
  startStep?: string;
  onStep?(e: PathEntry): void | Promise<void>;
}

/**
 * Runs a caller through IVR flows on its channel and says where the call goes next.
 * Rejects with CallerGone when the caller hangs up on the way; the call's owner decides
 * what that means. Flows are read fresh for every call, so a saved edit applies at once.
 */
export class IvrService {
  constructor(private readonly d: { calls: CallControl; flows: FlowService; prompts: PromptService; schedules: ScheduleService; watch: ChannelWatch; log: Logger }) {}

  /**
   * Gives another room's dialog (the callback confirmation) the same caller I/O flows use:
   * prompts with barge-in, digits, TTS. Rejects with CallerGone when the caller hangs up.
   */
  async withIo<T>(channelId: string, fn: (io: IvrIo) => Promise<T>): Promise<T> {
    const io = new CallIo({ channelId, calls: this.d.calls, watch: this.d.watch, prompts: this.d.prompts });
    try {
      return await fn(io);
    } finally {
      io.close();
    }
  }

  async run(r: IvrRun): Promise<RunResult> {
    const io = new CallIo({ channelId: r.channelId, calls: this.d.calls, watch: this.d.watch, prompts: this.d.prompts });
    try {
      return await runFlow(r.flow, {
        io,
        attrs: r.attrs,
        startStep: r.startStep,
        onStep: r.onStep,
        log: this.d.log.child({ interactionId: r.interactionId }),
        loadFlow: (name) => this.d.flows.get(name).catch(() => undefined),
        loadSchedule: (id) => this.d.schedules.forCall(id),
      });
    } finally {
      io.close();
    }
  }
}
