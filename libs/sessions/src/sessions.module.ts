import { Module } from '@nestjs/common';
import { Sessions } from './sessions';

/** Sign-in sessions (refresh tokens) for an app's kind(s) of account: `imports: [SessionsModule]`, then inject Sessions. */
@Module({ providers: [Sessions], exports: [Sessions] })
export class SessionsModule {}
