import { ColumnOptions, ValueTransformer } from 'typeorm';
import { fenFromColumn } from '@vouchers/common';

/** bigint fen column ↔ a safe-integer number in TypeScript (pg hands bigint back as text). */
export const fenTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => fenFromColumn(value),
};

export const fenColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: fenTransformer,
  ...options,
});

export const timestampColumn = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'timestamptz',
  ...options,
});
