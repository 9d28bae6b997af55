import { Module } from '@nestjs/common';
import { VoucherCodes } from './voucher-codes';

@Module({ providers: [VoucherCodes], exports: [VoucherCodes] })
export class VoucherCodeModule {}
