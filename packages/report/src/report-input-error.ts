/** Bad input to a report (empty, misaligned or unknown types); the message names the input it is about. */
export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}
