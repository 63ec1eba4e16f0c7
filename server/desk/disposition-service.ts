import { badRequest } from '../core/errors.js';
import type { DispositionRepository } from './disposition-repository.js';
import { DispositionInput, DispositionPatch, type Disposition } from './schemas.js';
import { dispositionExists, dispositionNotFound } from './errors.js';
import { checkedBody } from '../core/validate.js';

/** Disposition codes an admin configures; agents pick one at wrap-up. */
export class DispositionService {
  constructor(private readonly repo: DispositionRepository) {}

  list(): Promise<Disposition[]> {
    return this.repo.all();
  }

  forQueue(queue: string | null): Promise<Disposition[]> {
    return this.repo.forQueue(queue);
  }

  async create(body: unknown): Promise<Disposition> {
    const input = checkedBody(DispositionInput, body);
    const queueId = input.queue ? await this.repo.queueId(input.queue) : null;
    if (queueId === undefined) throw badRequest('queue-not-found', `queue ${input.queue} does not exist`);
    const id = await this.repo.insert({ queueId, code: input.code, label: input.label.trim(), active: input.active ?? true, sort: input.sort ?? 0 });
    if (id === false) throw dispositionExists(input.code);
    return (await this.repo.get(id)) as Disposition;
  }

  async update(id: number, body: unknown): Promise<Disposition> {
    const patch = checkedBody(DispositionPatch, body);
    if (!(await this.repo.update(id, { ...patch, label: patch.label?.trim() }))) throw dispositionNotFound(id);
    return (await this.repo.get(id)) as Disposition;
  }

  async remove(id: number): Promise<void> {
    if (!(await this.repo.remove(id))) throw dispositionNotFound(id);
  }
}
