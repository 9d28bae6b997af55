import { isPublicId } from '@vouchers/common';
import { AuditEntry, Campaign, Merchant, MerchantStaff, officialNames } from '@vouchers/database';
import { maskPhone } from '@vouchers/otp';
import { EntityManager, In } from 'typeorm';
import { AuditNames, namedIdsOf } from './audit-entry.view';

/**
 * The names a page (or an export's chunk) of entries needs: officials', merchant staff's,
 * shops' and campaigns', one read for each kind that the page names at all, never one a row.
 */
export async function auditNamesOf(manager: EntityManager, entries: readonly AuditEntry[]): Promise<AuditNames> {
  const ids = namedIdsOf(entries);
  const [officials, staff, merchants, campaigns] = await Promise.all([
    officialNames(manager, ids.officials),
    staffLabels(manager, ids.staff),
    shopNames(manager, ids.merchants),
    campaignNames(manager, ids.campaigns),
  ]);
  return { officials, staff, merchants, campaigns };
}

/**
 * Staff members by public id as "name 138****0001（shop）": the name is what the admin typed (a
 * registration without one gives every admin 管理员), so the masked number is what tells two
 * members apart, and the shop (read in the same query) says which of the merchants they work for;
 * the whole number never enters the trail.
 */
async function staffLabels(manager: EntityManager, ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const wanted = [...new Set(ids.filter(isPublicId))];
  if (wanted.length === 0) return new Map();
  const rows = await manager.find(MerchantStaff, {
    select: { publicId: true, name: true, phone: true, merchant: { id: true, shopName: true } },
    relations: { merchant: true },
    where: { publicId: In(wanted) },
  });
  return new Map(rows.map((row) => [row.publicId, staffLabel(row.name, row.phone, row.merchant?.shopName)]));
}

/** A staff member in words: their name, their number masked, then their shop as the trail names a merchant (the member's row always has one). */
function staffLabel(name: string, phone: string, shopName: string | undefined): string {
  const member = `${name} ${maskPhone(phone)}`;
  return shopName === undefined ? member : `${member}（${shopName}）`;
}

/** Merchants' shop names (what residents and auditors know them by) by public id. */
async function shopNames(manager: EntityManager, ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const wanted = [...new Set(ids.filter(isPublicId))];
  if (wanted.length === 0) return new Map();
  const rows = await manager.find(Merchant, { select: { publicId: true, shopName: true }, where: { publicId: In(wanted) } });
  return new Map(rows.map((row) => [row.publicId, row.shopName]));
}

/** Campaigns' names by public id (a campaign's entries: created, moved, budget returns). */
async function campaignNames(manager: EntityManager, ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const wanted = [...new Set(ids.filter(isPublicId))];
  if (wanted.length === 0) return new Map();
  const rows = await manager.find(Campaign, { select: { publicId: true, name: true }, where: { publicId: In(wanted) } });
  return new Map(rows.map((row) => [row.publicId, row.name]));
}
