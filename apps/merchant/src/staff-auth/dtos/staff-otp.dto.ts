import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class StaffOtpDto {
  @ApiProperty({
    description: 'Mainland mobile number; spaces, dashes and a +86 / 0086 / 86 prefix are accepted',
    example: '+86 139 0000 0001',
  })
  // Any string is read by requirePhone, so every unreadable number gets INVALID_PHONE.
  @IsString()
  phone: string;
}
