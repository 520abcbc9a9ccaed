/** A limit a request went over: its name, the request's value and the limit. */
export interface LimitExceeded {
  name: string;
  value: number;
  max: number;
}

/** A request the server refuses: answered with `statusCode` and `message` (and `limit` when a limit was exceeded). */
export class RequestError extends Error {
  constructor(
    readonly statusCode: 400 | 413,
    message: string,
    readonly limit?: LimitExceeded,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
