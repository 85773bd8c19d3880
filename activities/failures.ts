import { ApplicationFailure } from '@temporalio/activity';
import { ErrorType } from '../workflows/errors';

export { ErrorType };

/** A failure that retrying cannot fix (bad input, conflict, authentication): fails the activity at once. */
export function permanent(type: (typeof ErrorType)[keyof typeof ErrorType], message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? undefined : [details] });
}
