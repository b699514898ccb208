/**
 * Domain errors: services throw these and know nothing of HTTP.
 * One handler (platform/http/error-handler.ts) maps them to a page or a JSON problem.
 */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

export class NotAllowedError extends DomainError {
  override name = 'NotAllowedError';
}

export class InputError extends DomainError {
  override name = 'InputError';
  constructor(
    message: string,
    readonly problems: readonly { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** The action needs a signed-in person (pages send them to sign in; the API answers 401). */
export class SignInRequiredError extends DomainError {
  override name = 'SignInRequiredError';
}

/** A service the platform depends on (the mail server) is not answering; the message says what was and was not done. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
}

/** Too many attempts in a short time; the message says when to try again. */
export class RateLimitedError extends DomainError {
  override name = 'RateLimitedError';
}
