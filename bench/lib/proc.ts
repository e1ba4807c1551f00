import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** A server started in its own process; it reports its port over IPC once it listens. */
export interface ChildServer {
  name: string;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Seconds to wait for the ready message. */
  timeoutSeconds?: number;
}

/** Runs a compiled script (see build.ts) in a fresh node process. */
export function spawnNode(file: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(opts.nodeFlags ?? []), file, ...args], {
    env: { ...process.env, ...opts.env },
    // stdout carries the service's request logs: discarded, like a log shipper would take them.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

export async function startChildServer(
  name: string,
  file: string,
  opts: SpawnOptions = {},
): Promise<ChildServer> {
  const child = spawnNode(file, [], opts);
  const port = await waitForMessage<{ port: number }>(child, opts.timeoutSeconds ?? 60);
  return {
    name,
    pid: child.pid!,
    url: `http://127.0.0.1:${port.port}`,
    stop: () => stopChild(child),
  };
}

/** The first IPC message of a child, or an error if it exits or stays silent. */
export function waitForMessage<T>(child: ChildProcess, timeoutSeconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${child.pid} sent nothing in ${timeoutSeconds} s`));
    }, timeoutSeconds * 1000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child ${child.pid} exited with ${code} before it was ready`));
    });
  });
}

/** SIGTERM, then SIGKILL after 15 s: a child writing a CPU profile needs a clean exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process in MB (10^6 bytes), from /proc (Linux). */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? (Number(match[1]) * 1024) / 1e6 : Number.NaN;
}

/** CPU time a process has used so far (user + system), in milliseconds, from /proc (Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the file, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Samples a process's RSS every 250 ms until stopped; returns the highest sample. */
export function sampleRss(pid: number): { stop(): number } {
  let peak = rssMB(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMB(pid));
    } catch {
      // the process ended: keep the last peak
    }
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** The child side: tells the parent where it listens, and stops cleanly on SIGTERM. */
export function announceReady(port: number, stop: () => Promise<void>): void {
  process.send?.({ port });
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('disconnect', shutdown);
}
