import { Inject, Injectable } from '@nestjs/common';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { Official } from '@vouchers/database';
import { ACCOUNT_STATUS_WHERE } from '@vouchers/officials';
import { requirePhone } from '@vouchers/otp';
import { DataSource, FindOptionsWhere, IsNull, LessThan } from 'typeorm';
import { officialViewOf, OfficialView } from './dtos/official.view';
import { CITY_WIDE, ListOfficialsQuery } from './list-officials.query';

/**
 * Every official's account for the administrators, newest first in keyset pages (public ids are
 * time-ordered), filtered by role, district (or city-wide), status and a whole phone number (its
 * unique index). The table holds a city's officials, hundreds of rows: the filters need no index
 * of their own. Only what the view needs is read: no password hash or TOTP secret, and the
 * activation code's hash only to tell the status, never answered. When each account last signed
 * in comes with the page's own query (Official.lastSignInAt): no read per row, none of the audit log.
 */
@Injectable()
export class ListOfficials {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(query: ListOfficialsQuery): Promise<Page<OfficialView>> {
    const after = decodeIdCursor(query.cursor);
    const where: FindOptionsWhere<Official> = {
      ...(query.status === undefined ? {} : ACCOUNT_STATUS_WHERE[query.status]),
      ...(query.role === undefined ? {} : { role: query.role }),
      ...(query.district === undefined ? {} : { district: query.district === CITY_WIDE ? IsNull() : query.district }),
      ...(query.phone === undefined ? {} : { phone: requirePhone(query.phone) }),
      ...(after === null ? {} : { publicId: LessThan(after) }),
    };
    const rows = await this.db.manager.find(Official, {
      select: {
        publicId: true, phone: true, name: true, role: true, district: true, disabledAt: true, activationCodeHash: true, activationExpiresAt: true, createdAt: true, lastSignInAt: true,
      },
      where,
      order: { publicId: 'DESC' },
      take: query.limit + 1,
    });
    return toPage(rows, query.limit, (official) => [official.publicId], officialViewOf);
  }
}
