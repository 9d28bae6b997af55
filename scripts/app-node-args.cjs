// Node options of each app process: `npm start`, the image (docker/entrypoint.sh says the
// same) and every process the benchmarks and the fault run start.
//
// --max-semi-space-size=64, for the apps that serve a rush (the grab, the till): V8's young
// generation gets 64 MB semi-spaces instead of 16 MB. Under a rush an app allocates per
// request (sockets, headers, promises, answers) and holds those objects for the tens of
// milliseconds the request takes; with small semi-spaces many survive two scavenges and are
// copied into the old generation, to be collected again there. bench:grab, alternating runs
// with and without: the app's CPU 78-95 µs a grab against 89-115.
//
// Not for the merchant app and settlement: they serve no rush, and their big jobs (a
// 200,000-row import, a settlement build) fill young generations that large and keep them:
// the merchant app's peak RSS in bench:merchants was 380-409 MB with them and about 280 MB
// without, its live heap about 42 MB either way (--trace-gc, 2026-12-03).
'use strict';

const RUSH_APPS = ['issuance', 'redemption'];
const RUSH_ARGS = ['--max-semi-space-size=64'];

/** The options of an app: issuance, merchant, redemption, settlement or settlement-worker. */
function appNodeArgs(app) {
  return RUSH_APPS.includes(app) ? RUSH_ARGS : [];
}

module.exports = { appNodeArgs, RUSH_APPS, RUSH_ARGS };
