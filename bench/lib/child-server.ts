/**
 * Starts a server under test as a child process, so that it has its own event loop and V8 heap and
 * competes with the load generator only for CPU, as it would in production.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';

/** A running child server. */
export interface ChildServer {
  readonly port: number;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Where the child's stdout goes: 'pipe' to read the port from it, or a file descriptor. */
  readonly stdout: 'pipe' | number;
  /** Which stream announces the port, and the pattern whose first group is the port. */
  readonly announce: { readonly stream: 'stdout' | 'stderr'; readonly pattern: RegExp };
  readonly startTimeoutMs?: number;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Spawns `node <args>` and resolves once the child announces its listening port. */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const stdio: StdioOptions = ['ignore', options.stdout, 'pipe'];
  const child = spawn(process.execPath, options.args, { env: options.env, stdio });
  const stream = options.announce.stream === 'stdout' ? child.stdout : child.stderr;
  if (stream === null) throw new Error('The announcing stream of the child is not piped');
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(`Server did not start within ${String(options.startTimeoutMs ?? 30_000)} ms:\n${output}`),
      );
    }, options.startTimeoutMs ?? 30_000);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      output += chunk;
      const match = options.announce.pattern.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with code ${String(code)} before listening:\n${output}`));
    });
  });
  // Keep draining the pipes so a chatty child never blocks on a full pipe buffer.
  child.stdout?.resume();
  child.stderr?.resume();
  return { port, stop: () => stopChild(child) };
}
