/** The refusal of a merchant caller whose staff row no longer lets them act. */
export enum MerchantCallerErrorCode {
  /** 403: the staff member was disabled (or removed) after the token was issued. */
  StaffInactive = 'STAFF_INACTIVE',
}
