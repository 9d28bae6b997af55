import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { RedemptionModule } from './redemption.module';

runHttpApp(RedemptionModule, { name: 'redemption', port: (config) => config.redemptionPort });
