import { ApiProperty } from '@nestjs/swagger';
import type { Merchant } from '@vouchers/database';
import { RowErrorCode } from './import-errors';

/** One valid row of an import file, normalised (trimmed; empty optional fields are null): the merchant's columns as the file gives them. */
export type MerchantRow = Pick<
  Merchant,
  'creditCode' | 'registeredName' | 'shopName' | 'district' | 'category' | 'address' | 'latitude' | 'longitude' | 'contactPhone' | 'bankAccountName' | 'bankName'
> & {
  /** 1-based line of the file where the row starts; the header is line 1. */
  line: number;
  /** Digits only, in clear: sealed before it reaches Postgres, never logged or answered. */
  bankAccountNumber: string | null;
};

/** Why a row is rejected, as reported to the official. */
export class RowProblem {
  @ApiProperty({ enum: RowErrorCode })
  code: string;

  @ApiProperty({ example: 'Not a valid unified social credit code' })
  message: string;
}
