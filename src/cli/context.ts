// What commands receive from main: output streams, the cancellation signal, --debug, and where to put the exit code.
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal: AbortSignal;
  debug: boolean;
  exitCode: number;
}
