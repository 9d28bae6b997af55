import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class AddCashierDto {
  @ApiProperty({ description: 'The cashier\'s mainland mobile number; they sign in with it', example: '139 0000 0002' })
  // Any string is read by requirePhone, so every unreadable number gets INVALID_PHONE.
  @IsString()
  phone: string;

  @ApiProperty({ description: '1-64 characters, as the admin knows them', example: '收银员 王' })
  @IsString()
  @MaxLength(200)
  name: string;
}
