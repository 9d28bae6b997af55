import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { maskRealName } from '../real-name';
import { ResidentAccount } from '../resident-lookup';
import { residentSummaryOf, ResidentSummaryView } from './session.view';

export class ResidentProfileView extends ResidentSummaryView {
  @ApiProperty({ type: String, nullable: true, description: 'Masked legal name, once verified', example: '张*' })
  realName: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Masked ID number, once verified', example: '110105********002X' })
  idNumberMasked: string | null;
}

export class RealNameVerifiedView {
  @ApiProperty({ description: 'A fresh access token that carries the verification, for the grab' })
  accessToken: string;

  @ApiProperty({ example: 900 })
  expiresInSeconds: number;

  @ApiProperty({ type: ResidentProfileView })
  resident: ResidentProfileView;

  @ApiProperty({
    description:
      'The ID number was that of an account you closed, and it is open again: the answer is a session on it (refreshToken set, resident its profile); the account you signed in with is retired and its tokens end',
  })
  reopened: boolean;

  @ApiPropertyOptional({ description: 'Only when reopened: the refresh token of the new session (the one you held has ended)' })
  refreshToken?: string;
}

export function residentProfileOf(resident: ResidentAccount): ResidentProfileView {
  return {
    ...residentSummaryOf(resident),
    realName: resident.realName === null ? null : maskRealName(resident.realName),
    idNumberMasked: resident.idNumberMasked,
  };
}
