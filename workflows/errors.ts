// Failure types shared by activities (which raise them) and workflows (which must not retry them).
// Bad input and authentication errors never get better by retrying; everything else does.
export const ErrorType = {
  Validation: 'ValidationError',
  Conflict: 'ConflictError',
  Authentication: 'AuthenticationError',
  NotFound: 'NotFoundError',
  Quota: 'QuotaExceeded',
  InsufficientCredits: 'InsufficientCredits',
} as const;

export const nonRetryableErrorTypes: string[] = [
  ErrorType.Validation,
  ErrorType.Conflict,
  ErrorType.Authentication,
  ErrorType.NotFound,
  ErrorType.Quota,
  ErrorType.InsufficientCredits,
];
