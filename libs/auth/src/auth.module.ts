import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { BearerAuthenticator } from './bearer';
import { JwtAuthGuard, RolesGuard } from './guards';
import { JwtStrategy } from './jwt.strategy';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [PassportModule, JwtModule.register({})],
  providers: [BearerAuthenticator, JwtStrategy, JwtAuthGuard, RolesGuard, TokenService],
  exports: [BearerAuthenticator, TokenService, JwtAuthGuard, RolesGuard],
})
export class AuthModule {}
