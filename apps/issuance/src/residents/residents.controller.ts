import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser, Role } from '@vouchers/auth';
import { RealNameVerifiedView, ResidentProfileView } from './dtos/resident-profile.view';
import { VerifyRealNameDto } from './dtos/verify-real-name.dto';
import { GetMyProfile } from './profile/get-my-profile.usecase';
import { VerifyRealName } from './profile/verify-real-name.usecase';

/** The signed-in resident's own account. Paths carry no id: the token's subject is the only scope. */
@ApiTags('residents')
@Controller('v1/residents/me')
@Auth(Role.Resident)
export class ResidentsController {
  constructor(
    @Inject(GetMyProfile) private readonly getMyProfile: GetMyProfile,
    @Inject(VerifyRealName) private readonly verifyRealName: VerifyRealName,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your profile, masked' })
  @ApiOkResponse({ type: ResidentProfileView })
  me(@CurrentUser() user: AuthUser): Promise<ResidentProfileView> {
    return this.getMyProfile.execute(user);
  }

  @Post('real-name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify your real name once; answers with an access token that lets you grab vouchers' })
  @ApiOkResponse({ type: RealNameVerifiedView })
  @ApiBadRequestResponse({
    description:
      'REAL_NAME_INVALID, ID_NUMBER_FORMAT, ID_NUMBER_LEGACY_15, ID_NUMBER_FULL_WIDTH, ID_NUMBER_WHITESPACE, ' +
      'ID_NUMBER_REGION, ID_NUMBER_BIRTH_DATE or ID_NUMBER_CHECKSUM',
  })
  @ApiConflictResponse({ description: 'ID_NUMBER_TAKEN (another account) or ALREADY_VERIFIED (with another number)' })
  realName(@CurrentUser() user: AuthUser, @Body() body: VerifyRealNameDto): Promise<RealNameVerifiedView> {
    return this.verifyRealName.execute(user, body);
  }
}
