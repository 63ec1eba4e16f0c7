import type { PathEntry } from '../ivr/index.js';
import type { LiveCall, LiveCalls } from './live-calls.js';

/**
 * Keeps an IVR walk's flow, attributes and path on the live call as each step ends, not
 * only when the flow hands the call on: a server that restarts mid-walk finds in Redis
 * which flow the caller was in and what it did, and starts that flow again (acd-service
 * recover) with the same interaction, attributes and path.
 */
export class IvrProgress {
  private readonly before: PathEntry[];
  private readonly walked: PathEntry[] = [];

  constructor(private readonly live: LiveCalls, private readonly call: LiveCall, private readonly attrs: Record<string, string>) {
    this.before = JSON.parse(call.ivrPath ?? '[]') as PathEntry[];
  }

  start(flow: string): Promise<void> {
    return this.live.patch(this.call.id, { ivrFlow: flow });
  }

  /** After each step: attributes may have changed, and a `flow` step moved the caller to another flow. */
  async step(e: PathEntry): Promise<void> {
    this.walked.push(e);
    await this.live.patch(this.call.id, { ivrFlow: flowAfter(e), attrs: JSON.stringify(this.attrs), ivrPath: JSON.stringify(this.path(this.walked)) });
  }

  /** The whole path of the call: what came before this walk (an earlier flow, a walk before a restart), then this walk. */
  path(walk: PathEntry[]): PathEntry[] {
    return [...this.before, ...walk];
  }
}

/** The flow the caller is in once this step is done: a `flow` step's target (result `flow:<name>`), else the step's own. */
export function flowAfter(e: PathEntry): string {
  return e.type === 'flow' && e.result?.startsWith('flow:') ? e.result.slice('flow:'.length) : e.flow;
}
