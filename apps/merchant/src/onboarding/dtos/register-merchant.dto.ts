import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, CONTACT_PHONE_SHAPE, DISTRICT_CODES, Omittable } from '@vouchers/common';
import { IsIn, IsNumber, IsString, Length, Matches, MaxLength } from 'class-validator';

/** Self-registration. Shapes are checked here; meaning (check characters, pairs, digits) in merchant-rules. */
export class RegisterMerchantDto {
  @ApiProperty({ description: "The admin's mainland mobile number, as sent to POST /v1/merchant-auth/otp", example: '13900000001' })
  @IsString()
  phone: string;

  @ApiProperty({ description: 'The six-digit one-time code sent to that number', example: '042917', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code: string;

  @ApiProperty({ description: '统一社会信用代码, 18 characters with its check character', example: '91330203MA2AB3CD1J' })
  @IsString()
  @MaxLength(40)
  creditCode: string;

  @ApiProperty({ description: 'Name on the business licence', example: '宁波示例餐饮有限公司' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'registeredName must not be blank' })
  registeredName: string;

  @ApiProperty({ description: 'Name residents see', example: '示例小馆' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'shopName must not be blank' })
  shopName: string;

  @ApiProperty({ enum: DISTRICT_CODES })
  @IsIn(DISTRICT_CODES)
  district: string;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category: string;

  @ApiProperty({ example: '海曙区中山西路 1 号' })
  @IsString()
  @Length(1, 300)
  @Matches(/\S/, { message: 'address must not be blank' })
  address: string;

  @ApiPropertyOptional({ description: 'With longitude, or neither; -90 to 90', example: 29.8683 })
  @Omittable()
  @IsNumber()
  latitude?: number;

  @ApiPropertyOptional({ description: 'With latitude, or neither; -180 to 180', example: 121.544 })
  @Omittable()
  @IsNumber()
  longitude?: number;

  @ApiPropertyOptional({ description: 'Shop telephone, mobile or landline', example: '0574-8888 8888' })
  @Omittable()
  @IsString()
  @Matches(CONTACT_PHONE_SHAPE, { message: 'contactPhone must be 5-20 digits, spaces or dashes' })
  contactPhone?: string;

  @ApiProperty({ description: 'Holder of the settlement account', example: '宁波示例餐饮有限公司' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'bankAccountName must not be blank' })
  bankAccountName: string;

  @ApiProperty({ example: '中国工商银行宁波分行' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'bankName must not be blank' })
  bankName: string;

  @ApiProperty({ description: '8-30 digits; stored encrypted and only ever shown masked', example: '6222021234567890123' })
  @IsString()
  @MaxLength(64)
  bankAccountNumber: string;

  @ApiPropertyOptional({ description: "The admin's name in the staff list (1-64 characters); 管理员 when not given", example: '张店长' })
  @Omittable()
  @IsString()
  @MaxLength(200)
  adminName?: string;
}
