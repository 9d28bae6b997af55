import { AddressInfo, createServer } from 'node:net';

/** A port the kernel hands out as free on 127.0.0.1 (a moment later someone else may take it; unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
