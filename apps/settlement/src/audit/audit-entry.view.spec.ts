import { Role } from '@vouchers/auth';
import { AuditEntry } from '@vouchers/database';
import { auditEntryView, AuditNames, namedIdsOf } from './audit-entry.view';

const entry = (fields: Partial<AuditEntry>): AuditEntry =>
  ({ id: '1', at: new Date('2026-12-05T02:00:00Z'), detail: {}, requestId: null, ...fields }) as AuditEntry;

const official = '0193a0c0-0000-7000-8000-000000000001';
const admin = '0193a0c0-0000-7000-8000-000000000002';
const cashier = '0193a0c0-0000-7000-8000-000000000003';
const shop = '0193a0c0-0000-7000-8000-000000000004';
const campaign = '0193a0c0-0000-7000-8000-000000000005';

const register = entry({ actorId: admin, actorRole: Role.MerchantAdmin, action: 'merchant.register', targetType: 'merchant', targetId: shop });
const added = entry({ actorId: admin, actorRole: Role.MerchantAdmin, action: 'merchant.staff_added', targetType: 'merchant_staff', targetId: cashier });
const approve = entry({ actorId: official, actorRole: Role.CommerceOfficial, action: 'merchant.approve', targetType: 'merchant', targetId: shop });
const moved = entry({ actorId: official, actorRole: Role.CommerceOfficial, action: 'campaign.transition', targetType: 'campaign', targetId: campaign });
const odd = entry({ actorId: 'settlement-worker', actorRole: 'system', action: 'x', targetType: 'constructor', targetId: 'city' });

describe('audit entry names', () => {
  it('asks for staff actors among staff, every other actor among officials, and subjects by their type', () => {
    expect(namedIdsOf([register, added, approve, moved, odd])).toEqual({
      officials: [official, official, 'settlement-worker'],
      staff: [admin, admin, cashier],
      merchants: [shop, shop],
      campaigns: [campaign],
    });
  });

  it('names each actor and subject from the map of its kind, and nothing else', () => {
    const names: AuditNames = {
      // An official's id read as a staff member's (or the reverse) must not pick up a name.
      officials: new Map([[official, '商务 甲'], [admin, 'wrong']]),
      staff: new Map([[admin, '管理员 138****0001（测试小馆）'], [cashier, '小李 139****0002（测试小馆）'], [official, 'wrong']]),
      merchants: new Map([[shop, '测试小馆']]),
      campaigns: new Map([[campaign, '春季消费券']]),
    };
    const pairs = [register, added, approve, moved, odd].map((e) => auditEntryView(e, names)).map((v) => [v.actorName, v.targetName]);
    expect(pairs).toEqual([
      ['管理员 138****0001（测试小馆）', '测试小馆'],
      ['管理员 138****0001（测试小馆）', '小李 139****0002（测试小馆）'],
      ['商务 甲', '测试小馆'],
      ['商务 甲', '春季消费券'],
      [null, null],
    ]);
  });
});
