import { ApiProperty } from '@nestjs/swagger';

/** What an authenticator app needs; shown once, at activation. */
export class TotpEnrolmentView {
  @ApiProperty({
    description: 'RFC 6238 key URI (SHA-1, 6 digits, 30 s): scan it, then confirm with a code',
    example: 'otpauth://totp/Ningbo%20Vouchers:13900000001?secret=JBSWY3DPEHPK3PXP&issuer=Ningbo%20Vouchers',
  })
  otpauthUri: string;

  @ApiProperty({ description: 'The same URI as a QR code, an SVG document', example: '<svg xmlns="http://www.w3.org/2000/svg" ...' })
  qrCodeSvg: string;

  @ApiProperty({ description: 'The base32 secret, for typing in when the QR code cannot be scanned', example: 'JBSWY3DPEHPK3PXP' })
  secret: string;
}
