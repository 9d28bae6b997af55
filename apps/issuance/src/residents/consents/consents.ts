import { ResidentConsent } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { RECORD_CONSENTS } from './consents.sql';
import { ConsentKind, PRIVACY_NOTICE_VERSION } from './privacy-notice';

/**
 * Records, in the caller's transaction, that the resident gave these consents under the current
 * notice; a consent already recorded for that version keeps its first time.
 */
export async function recordConsents(manager: EntityManager, residentId: string, kinds: ConsentKind[]): Promise<void> {
  await manager.query(RECORD_CONSENTS, [residentId, kinds, PRIVACY_NOTICE_VERSION]);
}

/** The resident's consents, oldest first. */
export async function consentsOf(manager: EntityManager, residentId: string): Promise<Array<Pick<ResidentConsent, 'kind' | 'version' | 'givenAt'>>> {
  return manager.find(ResidentConsent, { select: { kind: true, version: true, givenAt: true }, where: { residentId }, order: { givenAt: 'ASC', id: 'ASC' } });
}
