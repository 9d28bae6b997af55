import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { MerchantModule } from './merchant.module';

runHttpApp(MerchantModule, { name: 'merchant', port: (config) => config.merchantPort });
