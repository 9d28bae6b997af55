import { Role } from '@vouchers/auth';
import { newPublicId } from '@vouchers/common';
import { Client } from 'pg';
import { createActiveCampaign, createOpenLottery } from './support/campaigns';
import { REAL_NAME_CONSENT } from './support/consents';
import { waitUntilBlockedBy } from './support/database';
import { expectCode, RigAnswer as Answer } from './support/grab-rig';
import { keysMatching } from './support/redis-keys';
import { maskedPhone as masked, newIdNumber, randomResidentPhone as randomPhone, ResidentSession as Session, residentsRig } from './support/resident-sessions';
import { tokenFor } from './support/tokens';

const subOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
const maskedId = (idNumber: string) => `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;

/**
 * The service desk against real Postgres and Redis: a commerce official finds a resident who
 * lost their old number by the ID card they show (masked facts only, every look-up audited),
 * proves the new number with the code the resident reads off it, and moves the account there
 * with the self-service change's move: vouchers and verification follow, every session ends,
 * the empty account made on the new number is retired. Other roles get 403; each refusal
 * changes nothing; a desk move and a resident's own change racing for one number end with one.
 */
describe('the service desk moves a resident who lost their number', () => {
  const { rig, sessions, call, refresh } = residentsRig();
  const commerce = tokenFor({ role: Role.CommerceOfficial }, { expiresIn: 3600 });
  const districtCommerce = tokenFor({ role: Role.CommerceOfficial, district: 'yinzhou' }, { expiresIn: 3600 });

  const lookUp = (token: string, idNumber: string) => call('POST', '/v1/admin/residents/lookup', token, { idNumber });
  const sendDeskCode = (token: string, residentId: string, phone: string) => call('POST', `/v1/admin/residents/${residentId}/phone/otp`, token, { phone });
  const confirmDeskMove = (token: string, residentId: string, body: { phone: string; code: string; reason?: string }) =>
    call('POST', `/v1/admin/residents/${residentId}/phone`, token, { reason: '持身份证到服务点办理', ...body });
  const endCooldowns = (phone: string) => sessions.endCooldowns(phone);
  const signIn = (phone: string) => sessions.signIn(phone);
  const verify = (session: Session, idNumber?: string) => sessions.verify(session, idNumber, '欧阳娜娜');

  /** A code sent to the number, in any spelling (+86, spaces). */
  async function deskCode(token: string, residentId: string, phone: string): Promise<string> {
    const digits = phone.replace(/\D/g, '').slice(-11);
    await endCooldowns(digits);
    const sent = await sendDeskCode(token, residentId, phone);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ sentTo: masked(digits), expiresInSeconds: 300, devCode: expect.stringMatching(/^\d{6}$/) });
    return sent.body.devCode as string;
  }

  async function deskMove(token: string, residentId: string, phone: string, reason?: string): Promise<Answer> {
    return confirmDeskMove(token, residentId, { phone, code: await deskCode(token, residentId, phone), ...(reason ? { reason } : {}) });
  }

  /** The per-address counts of codes sent and checked, by key (the run's prefix taken off). */
  async function addressCounts(): Promise<Record<string, string>> {
    const keys = await keysMatching(rig.redis, `${rig.prefix}rl:otp*:ip:{*`);
    const values = keys.length === 0 ? [] : await rig.redis.mget(...keys);
    return Object.fromEntries(keys.map((key, i) => [key.slice(rig.prefix.length), values[i] as string]));
  }

  /** What a refusal must leave as it was: the account's row, its live sessions, its audit entries, and the accounts on the number. */
  async function snapshot(residentId: string, otherPhone: string): Promise<unknown> {
    return rig.db.query(
      `SELECT (SELECT row_to_json(r) FROM residents r WHERE r.public_id = $1::uuid) AS account,
              (SELECT count(*)::int FROM refresh_tokens t JOIN residents r ON t.account_kind = 'resident' AND t.account_id = r.id
                WHERE r.public_id = $1::uuid AND t.revoked_at IS NULL) AS live_sessions,
              (SELECT count(*)::int FROM audit_log WHERE target_type = 'resident' AND target_id = $1::text AND action <> 'resident.lookup_by_official') AS audited,
              (SELECT json_agg(r ORDER BY r.id) FROM residents r WHERE r.phone = $2) AS on_other_number`,
      [residentId, otherPhone],
    );
  }

  const auditOf = (action: string, targetId: string): Promise<Array<{ actor_id: string; actor_role: string; target_type: string; detail: Record<string, unknown> }>> =>
    rig.db.query(`SELECT actor_id, actor_role, target_type, detail FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id`, [action, targetId]);

  it('finds the verified account of an ID number with masked facts only, and audits every look-up, a miss too', async () => {
    const phone = randomPhone();
    const idNumber = newIdNumber();
    const session = await signIn(phone);
    const grabToken = await verify(session, idNumber);
    const campaign = await createActiveCampaign(rig.app, { quantity: [10] });
    expect((await rig.grab({ id: session.resident.id, token: grabToken }, campaign.rounds[0])).status).toBe(201);

    const found = await lookUp(commerce, idNumber);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      id: session.resident.id,
      phone: masked(phone),
      idNumberMasked: maskedId(idNumber),
      realName: '欧***',
      verifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      vouchers: { unused: 1, used: 0, expired: 0 },
    });
    expect(JSON.stringify(found.body)).not.toContain(phone);
    expect(JSON.stringify(found.body)).not.toContain(idNumber);
    expect((await lookUp(districtCommerce, idNumber)).status).toBe(200);

    // Not found: a number nobody verified, and one only tried by an account refused ID_NUMBER_TAKEN (which stays unverified).
    const nobody = newIdNumber();
    expectCode(await lookUp(commerce, nobody), 404, 'VERIFIED_RESIDENT_NOT_FOUND');
    const unverified = await signIn(randomPhone());
    expectCode(await call('POST', '/v1/residents/me/real-name', unverified.accessToken, { name: '欧阳娜娜', idNumber, ...REAL_NAME_CONSENT }), 409, 'ID_NUMBER_TAKEN');
    expect((await lookUp(commerce, idNumber)).body.id).toBe(session.resident.id);
    // A number that is no ID number is refused as real-name verification refuses it, and not audited.
    expectCode(await lookUp(commerce, `${idNumber.slice(0, 17)}${idNumber[17] === '0' ? '1' : '0'}`), 400, 'ID_NUMBER_CHECKSUM');

    const [commerceSub, districtSub] = [commerce, districtCommerce].map(subOf);
    expect(await auditOf('resident.lookup_by_official', session.resident.id)).toEqual([
      { actor_id: commerceSub, actor_role: 'commerce_official', target_type: 'resident', detail: { idNumber: maskedId(idNumber), found: true } },
      { actor_id: districtSub, actor_role: 'commerce_official', target_type: 'resident', detail: { idNumber: maskedId(idNumber), found: true } },
      { actor_id: commerceSub, actor_role: 'commerce_official', target_type: 'resident', detail: { idNumber: maskedId(idNumber), found: true } },
    ]);
    expect(await auditOf('resident.lookup_by_official', maskedId(nobody))).toEqual([
      { actor_id: commerceSub, actor_role: 'commerce_official', target_type: 'id_number', detail: { idNumber: maskedId(nobody), found: false } },
    ]);
    const whole: Array<{ n: number }> = await rig.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE detail::text LIKE '%' || $1 || '%'`, [idNumber]);
    expect(whole).toEqual([{ n: 0 }]);
  });

  it('refuses every route to finance officials, auditors, account administrators, merchants and residents (403), recording nothing', async () => {
    const phone = randomPhone();
    const idNumber = newIdNumber();
    const session = await signIn(phone);
    await verify(session, idNumber);
    const newPhone = randomPhone();
    const before = await snapshot(session.resident.id, newPhone);
    const lookups = () => rig.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'resident.lookup_by_official' AND target_id = $1`, [session.resident.id]);
    const lookedUp = await lookups();

    const refused = [
      tokenFor({ role: Role.FinanceOfficial }),
      tokenFor({ role: Role.Auditor }),
      tokenFor({ role: Role.OfficialAdmin }),
      tokenFor({ role: Role.MerchantAdmin, merchantId: newPublicId() }),
      tokenFor({ role: Role.Resident, verified: true }),
      session.accessToken,
    ];
    for (const token of refused) {
      expectCode(await lookUp(token, idNumber), 403, 'FORBIDDEN');
      expectCode(await sendDeskCode(token, session.resident.id, newPhone), 403, 'FORBIDDEN');
      expectCode(await confirmDeskMove(token, session.resident.id, { phone: newPhone, code: '123456' }), 403, 'FORBIDDEN');
    }
    expectCode(await lookUp('', idNumber), 401, 'UNAUTHENTICATED');
    expect(await snapshot(session.resident.id, newPhone)).toEqual(before);
    expect(await lookups()).toEqual(lookedUp);
    expect(await rig.redis.exists(`${rig.prefix}otp:resident-phone-change:cooldown:{${newPhone}}`)).toBe(0);
  });

  it('moves the account to the new number: vouchers, lottery entry and verification follow, every session ends, the empty account on the new number is retired', async () => {
    const [oldPhone, newPhone] = [randomPhone(), randomPhone()];
    const idNumber = newIdNumber();
    const lost = await signIn(oldPhone);
    const grabToken = await verify(lost, idNumber);
    const campaign = await createActiveCampaign(rig.app, { quantity: [10] });
    const grabbed = await rig.grab({ id: lost.resident.id, token: grabToken }, campaign.rounds[0]);
    expect(grabbed.status).toBe(201);
    const lottery = await createOpenLottery(rig.app, rig.db);
    expect((await call('POST', `/v1/rounds/${lottery}/entries`, grabToken)).status).toBe(200);

    // The SIM is gone: the new number signs in to a new, empty account, whose verification is refused.
    const stranded = await signIn(newPhone);
    expectCode(await call('POST', '/v1/residents/me/real-name', stranded.accessToken, { name: '欧阳娜娜', idNumber, ...REAL_NAME_CONSENT }), 409, 'ID_NUMBER_TAKEN');

    // At the desk, a district's commerce official: residents belong to no district.
    const networkCounts = await addressCounts();
    const found = await lookUp(districtCommerce, idNumber);
    expect(found.body.id).toBe(lost.resident.id);
    const moved = await deskMove(districtCommerce, lost.resident.id, ` +86 ${newPhone.slice(0, 3)} ${newPhone.slice(3)}`, '  持身份证到服务点办理，原号码已停用  ');
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ id: lost.resident.id, from: masked(oldPhone), to: masked(newPhone), emptyAccountRetired: true });
    // The desk's code was sent and checked on the official's count, not the office network's (its residents sign in on it too).
    const desk = `{official:${subOf(districtCommerce)}}`;
    expect(await addressCounts()).toEqual({ ...networkCounts, [`rl:otp:ip:${desk}`]: '1', [`rl:otp-verify:ip:${desk}`]: '1' });

    // Every session ends: the old phone's (wherever it went) and the empty account's.
    expectCode(await refresh(lost.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expectCode(await refresh(stranded.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expectCode(await call('GET', '/v1/residents/me', stranded.accessToken), 404, 'RESIDENT_NOT_FOUND');

    // The new number signs in to the account: verified, its voucher and lottery entry there.
    const again = await signIn(newPhone);
    expect(again.resident).toEqual({ id: lost.resident.id, phone: masked(newPhone), verified: true });
    const vouchers = await call('GET', '/v1/me/vouchers', again.accessToken);
    expect((vouchers.body.items as Array<{ id: string }>).map((voucher) => voucher.id)).toEqual([grabbed.body.id]);
    expect((await call('GET', `/v1/rounds/${lottery}/entries/mine`, again.accessToken)).status).toBe(200);
    expect((await lookUp(commerce, idNumber)).body).toMatchObject({ id: lost.resident.id, phone: masked(newPhone), vouchers: { unused: 1 } });

    // Whoever holds the old number now signs in to a new, empty account.
    const stranger = await signIn(oldPhone);
    expect(stranger.resident.id).not.toBe(lost.resident.id);
    expect(stranger.resident.verified).toBe(false);

    const districtSub = subOf(districtCommerce);
    expect(await auditOf('resident.phone_change_by_official', lost.resident.id)).toEqual([
      {
        actor_id: districtSub,
        actor_role: 'commerce_official',
        target_type: 'resident',
        detail: { from: masked(oldPhone), to: masked(newPhone), emptyAccountRetired: true, reason: '持身份证到服务点办理，原号码已停用' },
      },
    ]);
    expect(await auditOf('resident.phone_change', lost.resident.id)).toEqual([]);
  });

  it('refuses, changing nothing: the same number, a malformed one, a wrong or missing code, no reason, no such verified resident, and a number whose account holds something', async () => {
    const [phone, otherPhone] = [randomPhone(), randomPhone()];
    const session = await signIn(phone);
    await verify(session);
    const id = session.resident.id;
    const before = await snapshot(id, otherPhone);

    expectCode(await sendDeskCode(commerce, id, ` +86 ${phone}`), 400, 'PHONE_UNCHANGED');
    expectCode(await confirmDeskMove(commerce, id, { phone, code: '123456' }), 400, 'PHONE_UNCHANGED');
    for (const malformed of ['12345', '+1 415 555 0100']) {
      expectCode(await sendDeskCode(commerce, id, malformed), 400, 'INVALID_PHONE');
      expectCode(await confirmDeskMove(commerce, id, { phone: malformed, code: '123456' }), 400, 'INVALID_PHONE');
    }
    expectCode(await confirmDeskMove(commerce, id, { phone: otherPhone, code: '123456' }), 401, 'OTP_EXPIRED');
    const code = await deskCode(commerce, id, otherPhone);
    for (const reason of ['', '   ', 'x'.repeat(201)]) {
      expectCode(await confirmDeskMove(commerce, id, { phone: otherPhone, code, reason }), 400, 'VALIDATION_FAILED');
    }
    expectCode(await call('POST', `/v1/admin/residents/${id}/phone`, commerce, { phone: otherPhone, code }), 400, 'VALIDATION_FAILED');
    const wrong = code === '000000' ? '000001' : '000000';
    const answer = await confirmDeskMove(commerce, id, { phone: otherPhone, code: wrong });
    expectCode(answer, 401, 'OTP_INVALID');
    expect(answer.body.details).toEqual({ triesLeft: 4 });

    // No live verified account with the id: none at all, one not verified, one retired.
    const unverified = await signIn(randomPhone());
    const retired = await signIn(randomPhone());
    await rig.db.query(`UPDATE residents SET phone = NULL WHERE public_id = $1`, [retired.resident.id]);
    for (const nobody of [newPublicId(), unverified.resident.id, retired.resident.id]) {
      expectCode(await sendDeskCode(commerce, nobody, otherPhone), 404, 'VERIFIED_RESIDENT_NOT_FOUND');
      expectCode(await confirmDeskMove(commerce, nobody, { phone: otherPhone, code }), 404, 'VERIFIED_RESIDENT_NOT_FOUND');
    }
    expect(await snapshot(id, otherPhone)).toEqual(before);
    // The code was kept through all of that: the refusals before it is tried leave it alone.
    expect((await confirmDeskMove(commerce, id, { phone: otherPhone, code })).status).toBe(200);

    // A number whose account holds something (here its verification): 409, both accounts as they were, its owner still signed in.
    const takenPhone = randomPhone();
    const holder = await signIn(takenPhone);
    await verify(holder);
    const mine = await snapshot(id, takenPhone);
    const theirs = await snapshot(holder.resident.id, otherPhone);
    expectCode(await deskMove(commerce, id, takenPhone), 409, 'PHONE_TAKEN');
    expect(await snapshot(id, takenPhone)).toEqual(mine);
    expect(await snapshot(holder.resident.id, otherPhone)).toEqual(theirs);
    expect((await refresh(holder.refreshToken)).status).toBe(200);
  });

  it("lets exactly one of a desk move and another resident's own change to the same new number win; the other gets 409 PHONE_TAKEN", async () => {
    const newPhone = randomPhone();
    const [atDesk, selfService] = [await signIn(randomPhone()), await signIn(randomPhone())];
    await verify(atDesk);
    const ids: Array<{ id: string }> = await rig.db.query(`SELECT id FROM residents WHERE public_id IN ($1, $2)`, [atDesk.resident.id, selfService.resident.id]);

    // Both residents' rows held, so both confirms pass their codes (one code at a time per number), then wait together.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM residents WHERE id = ANY($1::bigint[]) FOR UPDATE`, [ids.map((row) => row.id)]);
      const deskAnswer = deskMove(commerce, atDesk.resident.id, newPhone);
      await waitUntilBlockedBy(rig.db, holder, 1);
      await endCooldowns(newPhone);
      const sent = await call('POST', '/v1/residents/me/phone/otp', selfService.accessToken, { phone: newPhone });
      const selfAnswer = call('POST', '/v1/residents/me/phone', selfService.accessToken, { phone: newPhone, code: sent.body.devCode });
      await waitUntilBlockedBy(rig.db, holder, 2);
      await holder.query('COMMIT');
      const answers = await Promise.all([deskAnswer, selfAnswer]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('PHONE_TAKEN');
      const winner = answers.findIndex((answer) => answer.status === 200);
      const owners: Array<{ public_id: string }> = await rig.db.query(`SELECT public_id FROM residents WHERE phone = $1`, [newPhone]);
      expect(owners).toEqual([{ public_id: [atDesk, selfService][winner].resident.id }]);
      const loser = [atDesk, selfService][1 - winner];
      expect(await rig.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action LIKE 'resident.phone_change%'`, [loser.resident.id])).toEqual([{ n: 0 }]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});
