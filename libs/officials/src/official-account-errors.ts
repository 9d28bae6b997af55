import { errorCatalogue } from '@vouchers/common';

/** Refusals of creating or changing an official's account (the command's and the administrators' API). */
export enum OfficialAccountErrorCode {
  PhoneTaken = 'OFFICIAL_PHONE_TAKEN',
  AdministratorCityWide = 'ADMINISTRATOR_CITY_WIDE',
  OfficialNotFound = 'OFFICIAL_NOT_FOUND',
  CannotChangeOwnAccount = 'CANNOT_CHANGE_OWN_ACCOUNT',
  OfficialNotDisabled = 'OFFICIAL_NOT_DISABLED',
  OfficialDisabled = 'OFFICIAL_DISABLED',
}

export const OFFICIAL_ACCOUNT_ERRORS = errorCatalogue<OfficialAccountErrorCode>('official accounts', {
  [OfficialAccountErrorCode.PhoneTaken]: { status: 409, meaning: 'Another official\'s account has this phone number' },
  [OfficialAccountErrorCode.AdministratorCityWide]: { status: 422, meaning: 'An account administrator is city-wide: send no district' },
  [OfficialAccountErrorCode.OfficialNotFound]: { status: 404, meaning: 'No such official' },
  [OfficialAccountErrorCode.CannotChangeOwnAccount]: {
    status: 403,
    meaning: 'An administrator cannot disable, enable, reset or change the role of their own account; another administrator must',
  },
  [OfficialAccountErrorCode.OfficialNotDisabled]: {
    status: 409,
    meaning: 'Only a disabled account can be enabled; this one is not disabled, and nothing changed (a reset issues a new activation code)',
  },
  [OfficialAccountErrorCode.OfficialDisabled]: {
    status: 409,
    meaning: 'The account is disabled, and a reset would leave it so: enable it instead, which issues a new activation code; nothing changed',
  },
});
