import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig, ConfigError, loadConfig } from '@vouchers/config';
import { Logger } from 'nestjs-pino';
import { AccessLog } from './access-log';
import { superviseWorkers } from './cluster-supervisor';
import { BODY_LIMIT_BYTES, jsonShapeRefusal } from './body-limits';
import { MetricsService } from './metrics.service';
import { sendError } from './error-answer';
import { apiDocument } from './api-document';
import { holdsUnstorableText, unstorableTextRefused, urlHoldsNul } from './unstorable-text';
import { ClientTimeouts, PlatformAdapter } from './raw-server';
import type { AppName } from './platform.module';

/** Fastify as every app uses it, with the raw routes in front; tests build their apps with the same adapter. */
export function createFastifyAdapter(config: Pick<AppConfig, 'trustProxy'> & ClientTimeouts): PlatformAdapter {
  return new PlatformAdapter(config.trustProxy, config);
}

/**
 * JSON bodies as Fastify parses them (prototype poisoning refused), after one pass that refuses
 * a body nested or keyed past the limits of every body (jsonShapeRefusal, 400 BODY_TOO_COMPLEX):
 * what walks a parsed body (the NUL check, class-transformer) never meets one thousands deep.
 */
function useJsonParser(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parse = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    const refusal = jsonShapeRefusal(body);
    if (refusal) done(refusal, undefined);
    else parse(request, body.toString('utf8'), done);
  });
}

/** The status an access line gives a request whose client left before the answer (as nginx logs it). */
const CLIENT_CLOSED_REQUEST = 499;

/** Hooks, docs and logger shared by `main.ts` and the tests, applied before init/listen. */
export function configureHttpApp(app: NestFastifyApplication, name: AppName): void {
  const metrics = app.get(MetricsService);
  metrics.setAppLabel(name);
  const fastify = app.getHttpAdapter().getInstance();
  useJsonParser(app);
  // Callback hooks, not async ones: every request runs them, and a promise each is measurable under a rush.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  const errors = new NestLogger('Errors');
  fastify.addHook('preValidation', (request, reply, done) => {
    if (urlHoldsNul(request.url) || holdsUnstorableText(request.body)) sendError(reply, request.id, unstorableTextRefused(), errors);
    else done();
  });
  const access = app.get(AccessLog);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    metrics.observe(request.method, route ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    // Probes that answer well are not access-logged; one that fails is.
    if (reply.statusCode >= 400 || (route !== '/health' && route !== '/metrics')) {
      access.write(request.id, request.method, route ?? null, request.url, reply.statusCode, reply.elapsedTime);
    }
    done();
  });
  // A client that leaves before its answer gets no onResponse (whatever the handler goes on to
  // do): its line says 499, as proxies log a client that closed the request, with no duration.
  fastify.addHook('onRequestAbort', (request, done) => {
    access.write(request.id, request.method, request.routeOptions.url ?? null, request.url, CLIENT_CLOSED_REQUEST, null);
    done();
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // Built on first request, so routes added during init (RawRoutes) are in it.
  const document = () => apiDocument(app, name);
  SwaggerModule.setup('docs', app, document);
}

/**
 * Connections the kernel may hold for the app to accept. Node's default, 511, overflows when a
 * round opens and a crowd connects at once: the dropped handshakes are retried a second later,
 * which is a second added to those grabs (bench:grab saw its first answers take 0.7 s).
 * Linux caps it at net.core.somaxconn (4096 by default).
 */
export const LISTEN_BACKLOG = 4096;

export interface BootstrapOptions {
  name: AppName;
  port: (config: AppConfig) => number;
  /**
   * The app's own checks of the configuration, run with the common ones before anything starts
   * (before workers are forked): throws ConfigError naming the keys (the grab's timing budget).
   */
  checkConfig?: (config: AppConfig) => void;
}

/**
 * Validates the configuration (and runs `check` on it) before anything starts; a bad value stops
 * the process with exit code 1, naming the key.
 */
export function loadConfigOrExit(check?: (config: AppConfig) => void): AppConfig {
  try {
    const config = loadConfig();
    check?.(config);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export async function bootstrapHttpApp(module: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  const config = loadConfigOrExit(options.checkConfig);
  const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(config), { bufferLogs: true });
  configureHttpApp(app, options.name);
  const port = options.port(config);
  await app.listen({ port, host: config.host, backlog: LISTEN_BACKLOG });
  app.get(Logger).log(`${options.name} listening on http://${config.host}:${port} (docs at /docs)`);
  return app;
}

const MAX_RESTARTS = 10;
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The entry point of an app's main.ts: starts it (in config.httpWorkers processes sharing
 * the port, kept running and stopped by superviseWorkers), or prints why not and exits 1.
 */
export function runHttpApp(module: Type<unknown>, options: BootstrapOptions): void {
  const config = loadConfigOrExit(options.checkConfig);
  if (config.httpWorkers > 1 && cluster.isPrimary) {
    superviseWorkers({ name: options.name, workers: config.httpWorkers, maxRestarts: MAX_RESTARTS, shutdownGraceMs: SHUTDOWN_GRACE_MS });
    return;
  }
  bootstrapHttpApp(module, options).catch((error: unknown) => {
    process.stderr.write(`${options.name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
