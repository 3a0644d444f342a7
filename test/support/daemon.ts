/**
 * Server processes for end-to-end tests (NSD, Unbound …): started in the foreground as children in
 * their own process group, each with a temp dir of its own. Every daemon is killed when this process
 * exits, and a small watchdog kills it if this process dies without running exit handlers (SIGKILL,
 * a crash of the runner), so a failed test never leaves a server running (nor, then, its temp dir).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

/** How long a daemon gets to exit after SIGTERM before its process group is killed. */
const STOP_GRACE_MS = 5000;
/** Upper bound for one run of a command-line tool (a zone check, a signer). */
const TOOL_TIMEOUT_MS = 30_000;

export interface DaemonOptions {
  /** The daemon's temp dir, removed after stop() unless keepDir. */
  dir: string;
  keepDir: boolean;
  /** Working directory of the process; default: the current one. */
  cwd?: string;
}

export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: Error;
}

export interface Daemon {
  pid: number;
  /** Everything it printed on stdout and stderr so far. */
  output(): string;
  /** How it ended, or undefined while it runs. */
  exit(): DaemonExit | undefined;
  /** SIGTERM, wait for exit (SIGKILL to the process group after 5 s), remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** What every server module hands back. */
export interface RunningServer {
  host: string;
  port: number;
  /** "127.0.0.1:PORT" (or "[::1]:PORT"), the form `mxlint --server` takes. */
  server: string;
  /** The temp dir holding the config, the data and the log. */
  dir: string;
  pid: number;
  /** SIGTERM, wait for exit (SIGKILL to the process group after 5 s), remove the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** The server's log file followed by anything it printed on stdout/stderr. */
  logs(): string;
}

/** `logFile` (if written yet) followed by what `daemon` printed, for `RunningServer.logs`. */
export function daemonLogs(name: string, logFile: string, daemon: Daemon): string {
  const fileText = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const output = daemon.output();
  return `${fileText}${output === '' ? '' : `--- ${name} stdout/stderr ---\n${output}`}`;
}

interface Running {
  child: ChildProcess;
  watchdog: ChildProcess | undefined;
  dir: string;
  keepDir: boolean;
}

const running = new Set<Running>();
let exitHookInstalled = false;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const entry of running) {
      killGroup(entry.child.pid, 'SIGKILL');
      try {
        entry.watchdog?.kill('SIGKILL');
      } catch {
        // ignore
      }
      if (!entry.keepDir) rmSync(entry.dir, { recursive: true, force: true });
    }
    running.clear();
  });
}

/**
 * A detached shell that outlives a SIGKILLed test process: when `parent` is gone it sends SIGTERM,
 * then SIGKILL, to the daemon's process group and removes the temp dir. stop() kills it first normally.
 */
function startWatchdog(parent: number, group: number, removeDir: string): ChildProcess | undefined {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; ' +
    'kill -TERM -"$2" 2>/dev/null; sleep 3; kill -KILL -"$2" 2>/dev/null; ' +
    'if [ -n "$3" ]; then rm -rf -- "$3"; fi; exit 0';
  try {
    const watchdog = spawn('/bin/sh', ['-c', script, 'daemon-watchdog', String(parent), String(group), removeDir], {
      detached: true,
      stdio: 'ignore',
    });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}

/** Starts `command` (which must stay in the foreground) as a daemon that cannot outlive this process. */
export function spawnDaemon(command: string, args: string[], options: DaemonOptions): Daemon {
  installExitHook();
  let output = '';
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const watchdog = child.pid === undefined ? undefined : startWatchdog(process.pid, child.pid, options.keepDir ? '' : options.dir);
  const entry: Running = { child, watchdog, dir: options.dir, keepDir: options.keepDir };
  running.add(entry);

  let exited: DaemonExit | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      exited ??= { code: null, signal: null, spawnError: error };
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        watchdog?.kill('SIGKILL');
      } catch {
        // ignore
      }
      if (exited === undefined) {
        try {
          child.kill('SIGTERM');
        } catch {
          // ignore
        }
        const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS);
        await exitPromise;
        clearTimeout(timer);
      }
      // Helpers a daemon forks (NSD's xfrd and server children) follow the main process; make sure of it.
      killGroup(child.pid, 'SIGKILL');
      running.delete(entry);
      if (!options.keepDir) rmSync(options.dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return { pid: child.pid ?? -1, output: () => output, exit: () => exited, stop };
}

/** Runs a command-line tool to completion; never rejects. `output` is stdout then stderr, trimmed. */
export function runTool(file: string, args: string[], options: { cwd?: string } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: TOOL_TIMEOUT_MS, cwd: options.cwd }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      const why = error !== null && typeof error.code !== 'number' ? `${error.message}\n` : '';
      resolve({ code, output: `${why}${stdout}${stderr}`.trim() });
    });
  });
}
