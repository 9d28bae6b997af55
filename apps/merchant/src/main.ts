import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { requireRealSmsSender } from '@vouchers/otp';
import { MerchantModule } from './merchant.module';

runHttpApp(MerchantModule, { name: 'merchant', port: (config) => config.merchantPort, checkConfig: requireRealSmsSender });
