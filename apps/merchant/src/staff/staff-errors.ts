/** Answers of cashier management (and of a merchant caller's standing) other than success. */
export enum StaffErrorCode {
  StaffNotFound = 'STAFF_NOT_FOUND',
  StaffInactive = 'STAFF_INACTIVE',
  StaffPhoneTaken = 'STAFF_PHONE_TAKEN',
  StaffNameInvalid = 'STAFF_NAME_INVALID',
  CannotDisableSelf = 'CANNOT_DISABLE_SELF',
}
