import { ValidateIf } from 'class-validator';

/**
 * A body field that may be left out, but not sent as null: its other rules then refuse a null
 * (400 VALIDATION_FAILED). class-validator's IsOptional skips null as well as undefined, and
 * the use cases tell "not given" by `=== undefined`: a null went on to the database and came
 * back a 500. For body DTOs; a query string has no null.
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
