import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { SettlementModule } from './settlement.module';

runHttpApp(SettlementModule, { name: 'settlement', port: (config) => config.settlementPort });
