import { join } from 'node:path';

export interface PlatformOptions {
  env: NodeJS.ProcessEnv;
  logDir: string;
  timeoutMs?: number;
  onRestart?: (name: string, how: string | number) => void;
  onExit?: (name: string, how: string | number) => void;
}

export interface RunningPlatform {
  /** Each process's health address, by name. */
  health: Record<string, string>;
  processes: Array<{ name: string; app: string; port: number; pid(): number | undefined }>;
  stop(): Promise<void>;
}

/**
 * scripts/platform.cjs, as `npm start` runs it (the apps, the worker and the web gateway from
 * dist/): resolves once every process is ready, or stops them all and rejects naming the one
 * that died or was not ready, with its last lines of stderr.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { startPlatform } = require(join(__dirname, '..', '..', 'scripts/platform.cjs')) as {
  startPlatform(options: PlatformOptions): Promise<RunningPlatform>;
};
