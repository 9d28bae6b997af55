import { errorCatalogue } from '@vouchers/common';

/** Answers of cashier management other than success (a disabled caller's is STAFF_INACTIVE of @vouchers/merchant-caller). */
export enum StaffErrorCode {
  StaffNotFound = 'STAFF_NOT_FOUND',
  StaffPhoneTaken = 'STAFF_PHONE_TAKEN',
  StaffNameInvalid = 'STAFF_NAME_INVALID',
  CannotDisableSelf = 'CANNOT_DISABLE_SELF',
}

export const STAFF_ERRORS = errorCatalogue<StaffErrorCode>('merchant staff', {
  [StaffErrorCode.StaffNotFound]: { status: 404, meaning: 'No such staff member at your merchant' },
  [StaffErrorCode.StaffPhoneTaken]: { status: 409, meaning: 'This number is already on your staff' },
  [StaffErrorCode.StaffNameInvalid]: { status: 400, meaning: 'A name is 1-64 characters' },
  [StaffErrorCode.CannotDisableSelf]: { status: 409, meaning: 'You cannot disable your own account' },
});
