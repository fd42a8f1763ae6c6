/** A URL Herald will not store or connect to: wrong scheme, credentials, or an address that is not public. */
export class UnsafeUrlError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Refused ${url}: ${reason}`);
    this.name = 'UnsafeUrlError';
  }
}
