// Node options every app process runs with: `npm start`, the image (docker/entrypoint.sh says
// the same) and every process the benchmarks start.
//
// --max-semi-space-size=64: V8's young generation gets 64 MB semi-spaces instead of 16 MB.
// Under a rush an app allocates per request (sockets, headers, promises, answers) and holds
// those objects for the tens of milliseconds the request takes; with small semi-spaces many
// survive two scavenges and are copied into the old generation, to be collected again there.
// bench:grab, alternating runs with and without: the app's CPU 78-95 µs a grab against 89-115.
'use strict';
module.exports = ['--max-semi-space-size=64'];
