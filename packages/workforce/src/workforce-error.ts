/** Where a bad value came from, so callers (CLI, HTTP) can point the user at it. */
export type InputLocation = {
  file?: string;
  line?: number;
  field?: string;
};

/**
 * The one error class of the workforce engine: bad input data or an impossible definition.
 * The message is a complete one-line sentence; `location` repeats its parts for programs.
 */
export class WorkforceInputError extends Error {
  constructor(
    message: string,
    readonly location: InputLocation = {},
  ) {
    super(message);
    this.name = 'WorkforceInputError';
  }
}
