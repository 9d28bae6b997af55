import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@vouchers/http';
import { Logger } from 'nestjs-pino';
import { WorkerProbes } from './watch/worker-probes';
import { SettlementWorkerModule } from './worker.module';

/** Second entry point of the settlement app: the same code, run as a BullMQ worker. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(SettlementWorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // The same listening address as the HTTP apps (runHttpApp).
  await app.get(WorkerProbes).listen(config.settlementWorkerPort, config.host);
  app.get(Logger).log('settlement worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(`settlement worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
