import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { IssuanceModule } from './issuance.module';

runHttpApp(IssuanceModule, { name: 'issuance', port: (config) => config.issuancePort });
