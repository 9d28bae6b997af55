import { Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '@vouchers/auth';
import { decodeIdCursor, Page, toPage } from '@vouchers/common';
import { Campaign } from '@vouchers/database';
import { DataSource } from 'typeorm';
import { adminCampaignSummaryOf, AdminCampaignSummaryView } from './admin-campaign.view';
import { ListAdminCampaignsQuery } from './list-admin-campaigns.query';

/**
 * Every campaign an official may move, drafts included, newest first in keyset pages. A
 * district official's are those of exactly their district: inOfficialScope's rule, said in SQL.
 */
@Injectable()
export class ListAdminCampaigns {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async execute(official: AuthUser, query: ListAdminCampaignsQuery): Promise<Page<AdminCampaignSummaryView>> {
    const after = decodeIdCursor(query.cursor);
    const campaigns = this.db.manager.createQueryBuilder(Campaign, 'c').orderBy('c.publicId', 'DESC').limit(query.limit + 1);
    if (official.district) campaigns.andWhere('c.districts = :districts', { districts: [official.district] });
    if (query.status !== undefined) campaigns.andWhere('c.status = :status', { status: query.status });
    if (after !== null) campaigns.andWhere('c.publicId < :after', { after });
    return toPage(await campaigns.getMany(), query.limit, (campaign) => [campaign.publicId], adminCampaignSummaryOf);
  }
}
