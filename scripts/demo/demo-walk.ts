/**
 * The demo's walk, grab to reconciled payout: the steps `npm start` prints under the demo
 * tokens, the same ones README.md and docs/demo.md show (test/demo-walk.e2e-spec.ts walks them
 * and checks the documents name each route). Each step names its app, its route, whose token
 * (a name the banner prints as NAME=token) and what to send or look for.
 */
export interface WalkStep {
  app: 'issuance' | 'merchant' | 'redemption' | 'settlement';
  method: 'GET' | 'POST';
  /** Route with placeholders: <voucher>, <batch> come from an earlier answer; $ROUND, $DAY from the banner. */
  path: string;
  token: string;
  /** What to send, or what comes back. */
  note: string;
}

export const DEMO_WALK: readonly WalkStep[] = [
  { app: 'issuance', method: 'POST', path: '/v1/rounds/$ROUND/claims', token: 'RESIDENT', note: 'grab: → voucher id' },
  { app: 'issuance', method: 'POST', path: '/v1/me/vouchers/<voucher>/code', token: 'RESIDENT', note: '→ checkout code (valid 60 s)' },
  {
    app: 'redemption',
    method: 'POST',
    path: '/v1/redemptions',
    token: 'CASHIER',
    note: '{"code":"<code>","orderAmountFen":5000,"merchantOrderNo":"WALK-1"} (settled with tomorrow\'s batch)',
  },
  { app: 'settlement', method: 'POST', path: '/v1/settlement/batches', token: 'FINANCE_A', note: '{"businessDate":"$DAY"} → batch id; it builds' },
  { app: 'settlement', method: 'GET', path: '/v1/settlement/batches/<batch>', token: 'FINANCE_A', note: 'until status is pending_approval' },
  { app: 'settlement', method: 'POST', path: '/v1/settlement/batches/<batch>/submit', token: 'FINANCE_A', note: '复核: A has checked it and submits it' },
  { app: 'settlement', method: 'POST', path: '/v1/settlement/batches/<batch>/approve', token: 'FINANCE_B', note: '审批: four eyes, another official approves' },
  { app: 'settlement', method: 'GET', path: '/v1/settlement/batches/<batch>/payout-file', token: 'FINANCE_A', note: '→ payout.csv for the bank; paying' },
  {
    app: 'settlement',
    method: 'POST',
    path: '/v1/settlement/batches/<batch>/bank-results',
    token: 'FINANCE_B',
    note: 'text/csv: line_id,result,reason then <line_id>,paid, per payout line → paid',
  },
  { app: 'settlement', method: 'GET', path: '/v1/settlement/batches/<batch>/reconciliation', token: 'AUDITOR_A', note: '→ mismatches: 0' },
  { app: 'settlement', method: 'GET', path: '/v1/ledger/balance', token: 'AUDITOR_B', note: '→ imbalanceFen: 0' },
];

/** The app ports the walk names, from the configuration the apps run with. */
export type WalkPorts = Record<WalkStep['app'], number>;

/** How a step reads in the banner and the documents: `POST :3001/v1/rounds/$ROUND/claims`. */
export const stepRoute = (step: WalkStep, ports: WalkPorts): string => `${step.method.padEnd(4)} :${ports[step.app]}${step.path}`;

/** The walk as the banner prints it, numbered, one step a line. */
export function renderWalk(ports: WalkPorts): string[] {
  const width = Math.max(...DEMO_WALK.map((step) => stepRoute(step, ports).length));
  return DEMO_WALK.map(
    (step, index) => `${String(index + 1).padStart(4)}. ${step.app.padEnd(10)} ${stepRoute(step, ports).padEnd(width)}  ${step.token.padEnd(9)} ${step.note}`,
  );
}
