// What commands receive from main: output streams, the cancellation signal, --debug, and where to put the exit code.
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal: AbortSignal;
  debug: boolean;
  exitCode: number;
  /** Set by a command for which SIGINT/SIGTERM is the normal way to stop (gantry serve): main then exits with exitCode, not 130. */
  signalStops?: boolean;
}
