import { ApiPropertyOptional } from '@nestjs/swagger';
import { CONTACT_PHONE_SHAPE, Omittable } from '@vouchers/common';
import { IsNumber, IsString, Length, Matches, MaxLength } from 'class-validator';

/** What an admin may change on their own merchant; district, category and names go through officials. */
export class UpdateMerchantDto {
  @ApiPropertyOptional({ example: '海曙区中山西路 2 号' })
  @Omittable()
  @IsString()
  @Length(1, 300)
  @Matches(/\S/, { message: 'address must not be blank' })
  address?: string;

  @ApiPropertyOptional({ description: 'With longitude; -90 to 90' })
  @Omittable()
  @IsNumber()
  latitude?: number;

  @ApiPropertyOptional({ description: 'With latitude; -180 to 180' })
  @Omittable()
  @IsNumber()
  longitude?: number;

  @ApiPropertyOptional({ example: '0574-8888 8888' })
  @Omittable()
  @IsString()
  @Matches(CONTACT_PHONE_SHAPE, { message: 'contactPhone must be 5-20 digits, spaces or dashes' })
  contactPhone?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'bankAccountName must not be blank' })
  bankAccountName?: string;

  @ApiPropertyOptional()
  @Omittable()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'bankName must not be blank' })
  bankName?: string;

  @ApiPropertyOptional({ description: '8-30 digits; stored encrypted and only ever shown masked' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  bankAccountNumber?: string;
}
