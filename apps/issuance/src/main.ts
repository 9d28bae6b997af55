import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { GrabTiming } from './claims/grab-timing';
import { IssuanceModule } from './issuance.module';

runHttpApp(IssuanceModule, { name: 'issuance', port: (config) => config.issuancePort, checkConfig: (config) => void GrabTiming.of(config) });
