import { AuthUser, Role } from '@vouchers/auth';
import { AppError } from '@vouchers/common';
import { FiguresErrorCode } from './figures-errors';

/** Who reads the program's figures: officials of both bureaus and auditors; residents and merchants never. */
export const FIGURES_READER_ROLES = [Role.CommerceOfficial, Role.FinanceOfficial, Role.Auditor] as const;
/** Who sets the districts' targets (and then only city-wide). */
export const TARGET_SETTER_ROLES = [Role.CommerceOfficial, Role.FinanceOfficial] as const;

/**
 * A caller checked to read figures. A city-wide one (an auditor, whatever the token says, or an
 * official without a district) reads everything; a district's official reads the city's totals
 * and their own district in detail, nothing of another district's detail.
 */
export type FiguresReader = { readonly cityWide: true } | { readonly cityWide: false; readonly district: string };

export function figuresReader(user: AuthUser): FiguresReader {
  if (!(FIGURES_READER_ROLES as readonly Role[]).includes(user.role)) throw new Error(`figuresReader called for role ${user.role}`);
  if (user.role === Role.Auditor || user.district === undefined) return { cityWide: true };
  return { cityWide: false, district: user.district };
}

/** The districts a reader sees in detail, of those asked for. */
export function detailedDistricts(reader: FiguresReader, all: readonly string[]): string[] {
  return reader.cityWide ? [...all] : all.filter((district) => district === reader.district);
}

/** A caller checked to set targets: a commerce or finance official whose token names no district. */
export interface TargetSetter {
  readonly sub: string;
  readonly role: Role;
}

export function targetSetter(user: AuthUser): TargetSetter {
  if (!(TARGET_SETTER_ROLES as readonly Role[]).includes(user.role)) throw new Error(`targetSetter called for role ${user.role}`);
  if (user.district !== undefined) {
    throw new AppError(FiguresErrorCode.TargetsCityWideOnly, 'District targets are set city-wide; a district’s official may not set them');
  }
  return { sub: user.sub, role: user.role };
}
