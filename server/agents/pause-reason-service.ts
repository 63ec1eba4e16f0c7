import type { PauseReason, PauseReasonInput, PauseReasonRepository } from './pause-reason-repository.js';
import { pauseReasonNotFound, pauseReasonTaken, systemPauseReason, unknownPauseReason } from './errors.js';

/** Pause reasons an admin configures; an agent may pause only with an active one. */
export class PauseReasonService {
  constructor(private readonly repo: PauseReasonRepository) {}

  list(): Promise<PauseReason[]> {
    return this.repo.list();
  }

  async get(id: number): Promise<PauseReason> {
    const r = await this.repo.get(id);
    if (!r) throw pauseReasonNotFound(id);
    return r;
  }

  /** The active reason with this name or phone code, or a 400 that says so. */
  async resolve(nameOrCode: string): Promise<PauseReason> {
    const r = await this.repo.find(nameOrCode);
    if (!r || !r.active) throw unknownPauseReason(nameOrCode);
    return r;
  }

  /** Like resolve, but undefined instead of an error (the phone dialog says it in a prompt). */
  async lookup(nameOrCode: string): Promise<PauseReason | undefined> {
    const r = await this.repo.find(nameOrCode);
    return r?.active ? r : undefined;
  }

  async create(input: PauseReasonInput): Promise<PauseReason> {
    if (await this.repo.clash(input.name, input.code)) throw pauseReasonTaken(input.name, input.code);
    return this.get(await this.repo.insert(input));
  }

  async update(id: number, input: PauseReasonInput): Promise<PauseReason> {
    const cur = await this.get(id);
    // The ACD pauses agents by the system reason's name: renaming or switching it off would break that.
    if (cur.system && (input.name !== cur.name || !input.active)) throw systemPauseReason(cur.name);
    if (await this.repo.clash(input.name, input.code, id)) throw pauseReasonTaken(input.name, input.code);
    await this.repo.update(id, input);
    return this.get(id);
  }

  /** Logged pauses keep the reason's name, so removing a reason never rewrites history. */
  async remove(id: number): Promise<void> {
    const cur = await this.get(id);
    if (cur.system) throw systemPauseReason(cur.name);
    await this.repo.remove(id);
  }
}
