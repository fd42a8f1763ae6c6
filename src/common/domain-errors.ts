/** Typed errors thrown by services; DomainExceptionFilter maps them to HTTP. */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(what: string, id: string) {
    super(`${what} ${id} does not exist`);
  }
}

export class InvalidInputError extends DomainError {
  readonly status = 400;
}

export class ConflictError extends DomainError {
  readonly status = 409;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
}

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
}

/** A limit was reached; the filter sends Retry-After with the wait. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
