import 'reflect-metadata';
import { runHttpApp } from '@vouchers/http';
import { requireRealSmsSender } from '@vouchers/otp';
import { GrabTiming } from './claims/grab-timing';
import { IssuanceModule } from './issuance.module';

runHttpApp(IssuanceModule, {
  name: 'issuance',
  port: (config) => config.issuancePort,
  checkConfig: (config) => {
    GrabTiming.of(config);
    requireRealSmsSender(config);
  },
});
