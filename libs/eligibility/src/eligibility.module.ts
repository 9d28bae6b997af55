import { Module } from '@nestjs/common';
import { EligibilityIndex } from './eligibility-index';

@Module({ providers: [EligibilityIndex], exports: [EligibilityIndex] })
export class EligibilityModule {}
