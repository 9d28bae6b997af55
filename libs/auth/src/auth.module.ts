import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { BearerAuthenticator } from './bearer';
import { JwtAuthGuard, RolesGuard } from './guards';
import { BearerStrategy } from './bearer.strategy';
import { OfficialStanding } from './official-standing';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [PassportModule, JwtModule.register({})],
  providers: [BearerAuthenticator, BearerStrategy, OfficialStanding, JwtAuthGuard, RolesGuard, TokenService],
  exports: [BearerAuthenticator, TokenService, OfficialStanding, JwtAuthGuard, RolesGuard],
})
export class AuthModule {}
