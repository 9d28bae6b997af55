/** Answers of cashier management other than success (a disabled caller's is STAFF_INACTIVE of @vouchers/merchant-caller). */
export enum StaffErrorCode {
  StaffNotFound = 'STAFF_NOT_FOUND',
  StaffPhoneTaken = 'STAFF_PHONE_TAKEN',
  StaffNameInvalid = 'STAFF_NAME_INVALID',
  CannotDisableSelf = 'CANNOT_DISABLE_SELF',
}
