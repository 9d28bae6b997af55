/**
 * The machine a run was measured on, so figures from different machines (or from a busy
 * moment of a shared one) can be told apart: its cores, its CPU, its load when the run
 * began, and a quick fixed piece of CPU work timed on one core.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';

export interface Yardsticks {
  cores: number;
  cpu: string;
  /** The 1-minute load average when the run began (other work sharing the cores). */
  load1: number;
  /** SHA-256 over 64 MB in 1 KB pieces on one core, MB/s: higher is a faster (or quieter) core. */
  sha256MBps: number;
}

export function yardsticks(): Yardsticks {
  const piece = Buffer.alloc(1024, 7);
  const started = performance.now();
  for (let i = 0; i < 65_536; i++) createHash('sha256').update(piece).digest();
  const seconds = (performance.now() - started) / 1000;
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    load1: Math.round(os.loadavg()[0] * 100) / 100,
    sha256MBps: Math.round(64 / seconds),
  };
}
