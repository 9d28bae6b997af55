import { PageQueryDto } from '@vouchers/common';

/** Keyset pages of a merchant's staff, in order of joining. */
export class ListStaffQuery extends PageQueryDto {}
