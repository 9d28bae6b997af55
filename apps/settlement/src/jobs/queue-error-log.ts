import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { FlowProducer, Queue } from 'bullmq';
import { SETTLEMENT_FLOW, SETTLEMENT_QUEUE } from './settlement-jobs';

const QUIET_MS = 10_000;

/**
 * A listener for a BullMQ object's 'error' events that logs a warning at most every 10 s.
 * While Redis is down every reconnect attempt of every connection is an error (one each 2 s),
 * and BullMQ prints each one with its stack to stderr when nobody listens.
 */
export function quietErrorLog(logger: Logger, what: string): (error: Error) => void {
  let lastLogged = 0;
  let since = 0;
  return (error: Error) => {
    since += 1;
    const now = Date.now();
    if (now - lastLogged < QUIET_MS) return;
    logger.warn({ errors: since }, `${what}: ${error.message}`);
    lastLogged = now;
    since = 0;
  };
}

/** Listens to the settlement queue's and flow producer's errors (the worker listens to its own). */
@Injectable()
export class QueueErrorLog implements OnModuleInit {
  private readonly logger = new Logger('SettlementQueue');

  constructor(
    @InjectQueue(SETTLEMENT_QUEUE) private readonly queue: Queue,
    @InjectFlowProducer(SETTLEMENT_FLOW) private readonly flow: FlowProducer,
  ) {}

  onModuleInit(): void {
    this.queue.on('error', quietErrorLog(this.logger, 'settlement queue'));
    this.flow.on('error', quietErrorLog(this.logger, 'settlement flow producer'));
  }
}
