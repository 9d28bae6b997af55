import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

/** What an admin may change on their own merchant; district, category and names go through officials. */
export class UpdateMerchantDto {
  @ApiPropertyOptional({ example: '海曙区中山西路 2 号' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @Matches(/\S/, { message: 'address must not be blank' })
  address?: string;

  @ApiPropertyOptional({ description: 'With longitude; -90 to 90' })
  @IsOptional()
  @IsNumber()
  latitude?: number;

  @ApiPropertyOptional({ description: 'With latitude; -180 to 180' })
  @IsOptional()
  @IsNumber()
  longitude?: number;

  @ApiPropertyOptional({ example: '0574-8888 8888' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,18}$/, { message: 'contactPhone must be 5-20 digits, spaces or dashes' })
  contactPhone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'bankAccountName must not be blank' })
  bankAccountName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'bankName must not be blank' })
  bankName?: string;

  @ApiPropertyOptional({ description: '8-30 digits; stored encrypted and only ever shown masked' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  bankAccountNumber?: string;
}
