// One scan sent to the till's route: POST /api/redemption/v1/redemptions with the code, the
// amount in fen and the sale's order number. A request that hangs past SCAN_TIMEOUT_MS is given
// up (TIMEOUT): the sale keeps its order number, so sending it again is answered with the first
// result if the first did get through (the API is idempotent on the order number).
import { ApiError } from '@web/shared/api';
import { tillCall } from './till-api';
import type { Redemption } from './till-views';

export const SCAN_TIMEOUT_MS = 15_000;

export interface Scan {
  code: string;
  orderAmountFen: number;
  merchantOrderNo: string;
}

export async function sendScan(scan: Scan, timeoutMs: number = SCAN_TIMEOUT_MS): Promise<Redemption> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The limit holds whatever the call waits on (a session refresh after a 401 has no signal of its own).
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ApiError(0, 'TIMEOUT', 'no answer in time'));
    }, timeoutMs);
  });
  try {
    return await Promise.race([tillCall<Redemption>('redemption', '/v1/redemptions', { body: scan, signal: controller.signal }), late]);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw new ApiError(0, 'TIMEOUT', 'no answer in time');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
