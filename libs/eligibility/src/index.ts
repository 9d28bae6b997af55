export { EligibilityIndex, eligibilityKeys, holdEligibilityWrites } from './eligibility-index';
export type { EligibilityEntry, MerchantStatus } from './eligibility-index';
export { EligibilityModule } from './eligibility.module';
