import { isPublicId } from '@vouchers/common';
import { Official } from './entities';
import { EntityManager, In } from 'typeorm';

/**
 * Officials' names by public id, for saying who acted (on a batch, a merchant's review, a bank
 * account change): ids are time-ordered, so
 * officials created together share their first characters and a shortened id tells no one
 * apart (four eyes could not be seen). Ids that are no official's (the settlement worker, a merchant's
 * admin) are left out.
 */
export async function officialNames(manager: EntityManager, ids: Iterable<string | null>): Promise<ReadonlyMap<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => id !== null && isPublicId(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await manager.find(Official, { select: { publicId: true, name: true }, where: { publicId: In(wanted) } });
  return new Map(rows.map((row) => [row.publicId, row.name]));
}
