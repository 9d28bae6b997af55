import { ApiProperty } from '@nestjs/swagger';
import { DISTRICT_CODES } from '@vouchers/common';
import { Official } from '@vouchers/database';
import { ACCOUNT_ROLES, ACCOUNT_STATUSES, AccountRole, AccountStatus, accountStatusOf } from '@vouchers/officials';
import { maskPhone } from '@vouchers/otp';

export type OfficialRecord = Pick<
  Official,
  'publicId' | 'phone' | 'name' | 'role' | 'district' | 'disabledAt' | 'activationCodeHash' | 'activationExpiresAt' | 'createdAt' | 'lastSignInAt'
>;

/** An official's account as administrators (and the official at sign-in) read it; never a credential. */
export class OfficialView {
  @ApiProperty({ description: 'Public id of the official', example: '0196b8f2-7c1e-7a3d-9f00-2b4c6d8e0a1f' })
  id: string;

  @ApiProperty({ example: '市商务局 李' })
  name: string;

  @ApiProperty({ description: 'Masked phone number (the sign-in name)', example: '139****0001' })
  phone: string;

  @ApiProperty({ enum: ACCOUNT_ROLES })
  role: AccountRole;

  @ApiProperty({ enum: DISTRICT_CODES, nullable: true, description: 'The district the account is limited to; null: city-wide' })
  district: string | null;

  @ApiProperty({
    enum: ACCOUNT_STATUSES,
    description: 'pending_activation: new, reset or enabled again, waiting for its activation code; active; disabled',
  })
  status: AccountStatus;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'While awaiting activation: when its activation code stops working (a reset or enabling issues a new one); otherwise null',
  })
  activationExpiresAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt: Date | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the official last signed in with password and TOTP (activating does not count); null: never. Dormant accounts show here',
  })
  lastSignInAt: Date | null;
}

export function officialViewOf(row: OfficialRecord): OfficialView {
  const status = accountStatusOf(row);
  return {
    id: row.publicId,
    name: row.name,
    phone: maskPhone(row.phone),
    // Rows are written with account roles only (createOfficialAccount, the administrators' change).
    role: row.role as AccountRole,
    district: row.district,
    status,
    activationExpiresAt: status === 'pending_activation' ? row.activationExpiresAt : null,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
    lastSignInAt: row.lastSignInAt,
  };
}
