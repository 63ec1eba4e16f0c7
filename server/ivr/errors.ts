import { AppError } from '../core/errors.js';
import type { FlowProblem } from './flow-validation.js';

// 422 rather than 400: the body matched the schema, but the flow it describes would
// misbehave on a live call (a missing queue, an endless loop). Clients list `details.problems`.
export const invalidFlow = (flowName: string, problems: FlowProblem[]) =>
  new AppError(
    422,
    'invalid-flow',
    `Flow "${flowName}" has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.message).join(' ')}`,
    { problems },
  );
