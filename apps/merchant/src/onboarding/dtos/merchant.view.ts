import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, DISTRICT_CODES } from '@vouchers/common';
import { Merchant } from '@vouchers/database';
import { FindOptionsSelect } from 'typeorm';
import { BankAccountChange } from '../../bank-account-changes/bank-accounts';
import { bankAccountChangeViewOf, BankAccountChangeView } from '../../bank-account-changes/bank-account-change.view';
import { MERCHANT_STATUSES } from '../../review/merchant-states';

/** The columns a merchant's own view shows: all but the internal id and the bank account's cipher. */
export const MERCHANT_PROFILE = {
  publicId: true,
  creditCode: true,
  registeredName: true,
  shopName: true,
  district: true,
  category: true,
  address: true,
  latitude: true,
  longitude: true,
  contactPhone: true,
  bankAccountName: true,
  bankName: true,
  bankAccountMasked: true,
  status: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies FindOptionsSelect<Merchant>;

export type MerchantProfile = Pick<Merchant, keyof typeof MERCHANT_PROFILE>;

/** A merchant as its own staff see it. The bank account appears only masked. */
export class MerchantView {
  @ApiProperty({ description: 'Public id of the merchant' })
  id: string;

  @ApiProperty({ example: '91330203MA2AB3CD1J' })
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

export function merchantViewOf(merchant: MerchantProfile, pendingChange: BankAccountChange | null = null): MerchantView {
  return {
    id: merchant.publicId,
    creditCode: merchant.creditCode,
    registeredName: merchant.registeredName,
    shopName: merchant.shopName,
    district: merchant.district,
    category: merchant.category,
    address: merchant.address,
    latitude: merchant.latitude,
    longitude: merchant.longitude,
    contactPhone: merchant.contactPhone,
    bankAccountName: merchant.bankAccountName,
    bankName: merchant.bankName,
    bankAccountMasked: merchant.bankAccountMasked,
    pendingBankAccountChange: pendingChange ? bankAccountChangeViewOf(pendingChange) : null,
    status: merchant.status,
    createdAt: merchant.createdAt,
    updatedAt: merchant.updatedAt,
  };
}
