import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { roleNotAllowed, unauthenticated } from './bearer';
import { BEARER_STRATEGY } from './bearer.strategy';
import { OfficialStanding } from './official-standing';
import { AuthUser, Role } from './roles';

export const ROLES_KEY = 'vouchers:roles';

/**
 * Authenticates through BearerStrategy; turns every passport failure into 401 UNAUTHENTICATED in
 * the common error shape. An official's token is then checked against the account (OfficialStanding).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(BEARER_STRATEGY) {
  constructor(@Inject(OfficialStanding) private readonly standing: OfficialStanding) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    await this.standing.check(context.switchToHttp().getRequest<{ user: AuthUser }>().user);
    return true;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false): TUser {
    if (error || !user) {
      throw unauthenticated();
    }
    return user;
  }
}

/** Lets through only the roles named by @Auth(...) on the handler or its controller. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user || !roles.includes(user.role)) {
      throw roleNotAllowed();
    }
    return true;
  }
}
