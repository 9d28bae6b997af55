import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES } from '@vouchers/common';
import { BankAccountChangeRecord } from '../../bank-account-changes/bank-account-change.records';
import { bankAccountChangeViewOf, BankAccountChangeView } from '../../bank-account-changes/bank-account-change.view';
import { MERCHANT_STATUSES } from '../../review/merchant-states';
import { MerchantRecord } from '../merchant.records';

/** A merchant as its own staff see it. The bank account appears only masked. */
export class MerchantView {
  @ApiProperty({ description: 'Public id of the merchant' })
  id: string;

  @ApiProperty({ example: '91330203MA2AB3CD1X' })
  creditCode: string;

  @ApiProperty({ example: '宁波示例餐饮有限公司' })
  registeredName: string;

  @ApiProperty({ example: '示例小馆' })
  shopName: string;

  @ApiProperty({ enum: DISTRICT_CODES })
  district: string;

  @ApiProperty({ enum: CATEGORIES })
  category: string;

  @ApiProperty({ example: '海曙区中山西路 1 号' })
  address: string;

  @ApiProperty({ type: Number, nullable: true, example: 29.8683 })
  latitude: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 121.544 })
  longitude: number | null;

  @ApiProperty({ type: String, nullable: true })
  contactPhone: string | null;

  @ApiProperty({ type: String, nullable: true })
  bankAccountName: string | null;

  @ApiProperty({ type: String, nullable: true })
  bankName: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'First and last four digits only; the approved account, the one payouts go to',
    example: '6222 **** **** 0123',
  })
  bankAccountMasked: string | null;

  @ApiProperty({
    type: BankAccountChangeView,
    nullable: true,
    description: "A new bank account this approved merchant asked for, awaiting an official's review; null when none is",
  })
  pendingBankAccountChange: BankAccountChangeView | null;

  @ApiProperty({ enum: MERCHANT_STATUSES })
  status: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export function merchantViewOf(row: MerchantRecord, pendingChange: BankAccountChangeRecord | null = null): MerchantView {
  return {
    id: row.public_id,
    creditCode: row.credit_code,
    registeredName: row.registered_name,
    shopName: row.shop_name,
    district: row.district,
    category: row.category,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    contactPhone: row.contact_phone,
    bankAccountName: row.bank_account_name,
    bankName: row.bank_name,
    bankAccountMasked: row.bank_account_masked,
    pendingBankAccountChange: pendingChange ? bankAccountChangeViewOf(pendingChange) : null,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
