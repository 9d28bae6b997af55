import { ApiProperty } from '@nestjs/swagger';
import { Role } from '@vouchers/auth';
import { maskPhone } from '@vouchers/otp';
import { StaffMember, StaffRole } from '../staff-members';

export class StaffView {
  @ApiProperty({ description: 'Public id of the staff member', example: '0196b8f2-7c1e-7a3d-9f00-2b4c6d8e0a1f' })
  id: string;

  @ApiProperty({ example: '收银员 王' })
  name: string;

  @ApiProperty({ description: 'Masked phone number', example: '139****0002' })
  phone: string;

  @ApiProperty({ enum: [Role.MerchantAdmin, Role.MerchantStaff] })
  role: Role.MerchantAdmin | Role.MerchantStaff;

  @ApiProperty({ description: 'False once disabled: a disabled member can no longer sign in' })
  active: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt: Date | null;
}

export function staffViewOf(member: StaffMember): StaffView {
  return {
    id: member.publicId,
    name: member.name,
    phone: maskPhone(member.phone),
    // Staff rows are written with these two roles only (staff-members.ts).
    role: member.role as StaffRole,
    active: member.disabledAt === null,
    createdAt: member.createdAt,
    disabledAt: member.disabledAt,
  };
}
