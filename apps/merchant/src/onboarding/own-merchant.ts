import { Merchant } from '@vouchers/database';
import { EntityManager } from 'typeorm';
import { MerchantCaller } from '../staff/merchant-caller';
import { MERCHANT_PROFILE, MerchantProfile } from './dtos/merchant.view';

/** The columns a merchant admin may change on their own merchant. */
export type MerchantChanges = Partial<
  Pick<Merchant, 'address' | 'latitude' | 'longitude' | 'contactPhone' | 'bankAccountName' | 'bankName' | 'bankAccountCipher' | 'bankAccountMasked'>
>;

/** The caller's own merchant: there is no way to name another. */
export function findOwnMerchant(manager: EntityManager, caller: MerchantCaller): Promise<MerchantProfile | null> {
  return manager.findOne(Merchant, { select: MERCHANT_PROFILE, where: { id: caller.merchantRowId } });
}

/** Updates the caller's own merchant (updated_at with it) and answers it as it now is. */
export async function updateOwnMerchant(manager: EntityManager, caller: MerchantCaller, changes: MerchantChanges): Promise<MerchantProfile | null> {
  await manager.update(Merchant, { id: caller.merchantRowId }, changes);
  return findOwnMerchant(manager, caller);
}
