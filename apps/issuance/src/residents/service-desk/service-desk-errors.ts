import { errorCatalogue } from '@vouchers/common';

/**
 * The service desk's own refusals. The others are those of the self-service change
 * (PHONE_UNCHANGED, PHONE_TAKEN: PhoneChangeErrorCode), of the ID number as real-name
 * verification reads it (ID_NUMBER_*: ResidentErrorCode), and of the one-time code (OtpErrorCode).
 */
export enum ServiceDeskErrorCode {
  VerifiedResidentNotFound = 'VERIFIED_RESIDENT_NOT_FOUND',
  ResidentClosed = 'RESIDENT_CLOSED',
}

export const SERVICE_DESK_ERRORS = errorCatalogue<ServiceDeskErrorCode>('residents service desk', {
  [ServiceDeskErrorCode.VerifiedResidentNotFound]: {
    status: 404,
    meaning: 'No real-name-verified resident account holds this ID number (look-up) or has this id (code, move)',
  },
  [ServiceDeskErrorCode.ResidentClosed]: {
    status: 409,
    meaning: "The account of this ID number was closed by its holder (details.closedAt); the holder's next real-name verification reopens it",
  },
});
