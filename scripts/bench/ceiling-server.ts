/** The machine's ceiling for `npm run bench:grab`: plain node:http answering a small JSON body. */
import { createServer } from 'node:http';

const body = JSON.stringify({ ok: true, id: '01900000-0000-7000-8000-000000000001' });
createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
}).listen(Number(process.env.PORT), '127.0.0.1', 4096); // the apps' listen backlog (libs/http bootstrap)
