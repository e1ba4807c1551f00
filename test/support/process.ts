import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/** `abs-auth serve` from the sources, through tsx. */
export const FROM_SOURCES = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', 'serve'];
/**
 * The installed command, run as a user's shell runs it: the file itself, so that the node flags
 * on its first line apply, and the compiled code in dist/.
 */
const AS_INSTALLED = [`${ROOT}bin/abs-auth.js`, 'serve'];

/**
 * Starts `abs-auth serve` as its own process on a free port: from the sources through tsx, or
 * `installed` through the package's command.
 */
export function spawnServer(
  env: Record<string, string>,
  opts: { installed?: boolean } = {},
): Promise<ServerProcess> {
  const [command, ...args] = opts.installed ? AS_INSTALLED : FROM_SOURCES;
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      PORT: '0',
      ABS_LOG_LEVEL: 'info',
      ...env,
    },
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const started = /"port":(\d+)[^\n]*"msg":"server started"/.exec(out);
      if (!started) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${started[1]}`,
        child,
        output: () => out,
        async stop() {
          child.kill('SIGTERM');
          return exited;
        },
        async kill() {
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}
