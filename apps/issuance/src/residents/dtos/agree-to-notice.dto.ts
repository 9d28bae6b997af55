import { PrivacyNoticeAgreedTo } from './resident-sign-in.dto';

/** A signed-in resident agrees to the notice in force (one that changed since they signed in). */
export class AgreeToNoticeDto {
  @PrivacyNoticeAgreedTo('Recorded for the signed-in account.')
  privacyNotice?: string;
}
