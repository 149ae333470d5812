/** Thrown by a command that has printed its output and must end with a given exit code (check: 1 when it found something). */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitWith';
  }
}
