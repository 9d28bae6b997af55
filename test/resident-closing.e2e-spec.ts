import { Role } from '@vouchers/auth';
import { createActiveCampaign, createOpenLottery } from './support/campaigns';
import { REAL_NAME_CONSENT, SIGN_IN_CONSENT } from './support/consents';
import { expectCode, RigAnswer as Answer } from './support/grab-rig';
import { maskedPhone as masked, newIdNumber, randomResidentPhone as randomPhone, ResidentSession as Session, residentsRig } from './support/resident-sessions';
import { tokenFor } from './support/tokens';

/**
 * A resident closes their account against real Postgres and Redis: confirmed by a code of its own
 * sent to the account's number, the number, name and ID mask are erased and every session ends;
 * unused vouchers stop a closing until the resident says they give them up; each refusal changes
 * nothing; and verifying the same ID number again, on any number, reopens the old account (its
 * vouchers, its per-person limits) instead of starting a second one.
 */
describe('a resident closes their account', () => {
  const { rig, sessions, call, refresh } = residentsRig();
  const signIn = (phone: string) => sessions.signIn(phone);
  const verifyAs = (session: Session, idNumber: string, name = '张三') => call('POST', '/v1/residents/me/real-name', session.accessToken, { name, idNumber, ...REAL_NAME_CONSENT });
  const commerce = tokenFor({ role: Role.CommerceOfficial }, { expiresIn: 3600 });
  const deskLookUp = (idNumber: string) => call('POST', '/v1/admin/residents/lookup', commerce, { idNumber });

  async function closingCode(token: string, phone: string): Promise<string> {
    await sessions.endCooldowns(phone);
    const sent = await call('POST', '/v1/residents/me/closing/otp', token);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ sentTo: masked(phone), expiresInSeconds: 300, devCode: expect.stringMatching(/^\d{6}$/) });
    return sent.body.devCode as string;
  }

  const confirm = (token: string, body: Record<string, unknown>) => call('POST', '/v1/residents/me/closing', token, body);

  async function close(token: string, phone: string, giveUpVouchers?: boolean): Promise<Answer> {
    return confirm(token, { code: await closingCode(token, phone), ...(giveUpVouchers === undefined ? {} : { giveUpVouchers }) });
  }

  /** The account's row, live sessions and audit entries: what a refusal must leave as it was. */
  async function snapshot(residentId: string): Promise<unknown> {
    return rig.db.query(
      `SELECT (SELECT row_to_json(r) FROM residents r WHERE r.public_id = $1::uuid) AS account,
              (SELECT count(*)::int FROM refresh_tokens t JOIN residents r ON t.account_kind = 'resident' AND t.account_id = r.id
                WHERE r.public_id = $1::uuid AND t.revoked_at IS NULL) AS live_sessions,
              (SELECT count(*)::int FROM audit_log WHERE target_type = 'resident' AND target_id = $1::text) AS audited`,
      [residentId],
    );
  }

  const rowOf = async (residentId: string) =>
    ((await rig.db.query(
      `SELECT phone, real_name, id_number_masked, id_number_hash IS NOT NULL AS hash_kept, verified_at IS NOT NULL AS verified, closed_at IS NOT NULL AS closed
         FROM residents WHERE public_id = $1`,
      [residentId],
    )) as Array<Record<string, unknown>>)[0];

  const auditOf = (action: string, residentId: string) =>
    rig.db.query(`SELECT actor_id, actor_role, detail FROM audit_log WHERE action = $1 AND target_id = $2`, [action, residentId]);

  it('closes an account with its code: number, name and ID mask erased, every session over, the number free for a new account', async () => {
    const phone = randomPhone();
    const here = await signIn(phone);
    const elsewhere = await signIn(phone);
    const token = await sessions.verify(here);

    const closed = await close(token, phone);
    expect(closed.status).toBe(204);
    expect(await rowOf(here.resident.id)).toEqual({ phone: null, real_name: null, id_number_masked: null, hash_kept: true, verified: true, closed: true });
    expectCode(await refresh(here.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expectCode(await refresh(elsewhere.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    // The access token lives until it expires, and finds no one.
    expectCode(await call('GET', '/v1/residents/me', token), 404, 'RESIDENT_NOT_FOUND');
    expectCode(await call('POST', '/v1/residents/me/closing/otp', token), 404, 'RESIDENT_NOT_FOUND');
    // Nor does a lottery take it: the sign-up writes no entry for an account closed since the token was signed.
    const lottery = await createOpenLottery(rig.app, rig.db);
    expectCode(await call('POST', `/v1/rounds/${lottery}/entries`, token), 404, 'RESIDENT_NOT_FOUND');
    expect(await rig.db.query(`SELECT 1 FROM lottery_entries e JOIN residents r ON r.id = e.resident_id WHERE r.public_id = $1`, [here.resident.id])).toEqual([]);
    // Nor a grab: Postgres writes no voucher for it, and the one voucher of the round goes back to the next resident.
    const [round] = (await createActiveCampaign(rig.app, { quantity: [1] })).rounds;
    expectCode(await rig.grab({ id: here.resident.id, token }, round), 404, 'RESIDENT_NOT_FOUND');
    expect(await rig.db.query(`SELECT 1 FROM vouchers v JOIN residents r ON r.id = v.resident_id WHERE r.public_id = $1`, [here.resident.id])).toEqual([]);
    const next = await signIn(randomPhone());
    expect((await rig.grab({ id: next.resident.id, token: await sessions.verify(next) }, round)).status).toBe(201);

    const stranger = await signIn(phone);
    expect(stranger.resident).toEqual({ id: expect.any(String), phone: masked(phone), verified: false });
    expect(stranger.resident.id).not.toBe(here.resident.id);
    expect(await auditOf('resident.close', here.resident.id)).toEqual([
      { actor_id: here.resident.id, actor_role: 'resident', detail: { unusedVouchersGivenUp: 0, verified: true } },
    ]);
  });

  it('refuses while unused vouchers are held unless they are given up, changing nothing and keeping the code; then closes', async () => {
    const phone = randomPhone();
    const session = await signIn(phone);
    const token = await sessions.verify(session);
    const campaign = await createActiveCampaign(rig.app, { quantity: [10] });
    const grabbed = await rig.grab({ id: session.resident.id, token }, campaign.rounds[0]);
    expect(grabbed.status).toBe(201);

    const before = await snapshot(session.resident.id);
    const code = await closingCode(token, phone);
    const refused = await confirm(token, { code });
    expectCode(refused, 409, 'UNUSED_VOUCHERS');
    expect(refused.body.details).toEqual({ count: 1 });
    expectCode(await confirm(token, { code, giveUpVouchers: false }), 409, 'UNUSED_VOUCHERS');
    expect(await snapshot(session.resident.id)).toEqual(before);

    // The same code still closes, once the resident gives the voucher up.
    expect((await confirm(token, { code, giveUpVouchers: true })).status).toBe(204);
    expect(await rowOf(session.resident.id)).toMatchObject({ phone: null, closed: true });
    const [voucher] = await rig.db.query(`SELECT status FROM vouchers WHERE public_id = $1`, [grabbed.body.id]);
    expect(voucher).toEqual({ status: 'claimed' });
    expect(await auditOf('resident.close', session.resident.id)).toEqual([
      { actor_id: session.resident.id, actor_role: 'resident', detail: { unusedVouchersGivenUp: 1, verified: true } },
    ]);
  });

  it('refuses, changing nothing: a wrong, missing or malformed code, a sign-in code, and a body that is not what it says', async () => {
    const phone = randomPhone();
    const session = await signIn(phone);
    const token = await sessions.verify(session);
    const before = await snapshot(session.resident.id);

    const code = await closingCode(token, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    expectCode(await confirm(token, { code: wrong }), 401, 'OTP_INVALID');
    expectCode(await confirm(token, {}), 400, 'VALIDATION_FAILED');
    expectCode(await confirm(token, { code: '12345' }), 400, 'VALIDATION_FAILED');
    expectCode(await confirm(token, { code, giveUpVouchers: 'yes' }), 400, 'VALIDATION_FAILED');
    expectCode(await confirm(token, { code, extra: 1 }), 400, 'VALIDATION_FAILED');
    expect((await call('POST', '/v1/residents/me/closing', undefined, { code })).status).toBe(401);

    // A sign-in code to the same number is no closing code (and the closing code signs no one in).
    await sessions.endCooldowns(phone);
    const signInCode = (await call('POST', '/v1/auth/otp', undefined, { phone, ...SIGN_IN_CONSENT })).body.devCode as string;
    if (signInCode !== code) expectCode(await confirm(token, { code: signInCode }), 401, 'OTP_INVALID');
    expect(await snapshot(session.resident.id)).toEqual(before);
  });

  it('reopens the closed account when its ID number is verified again on another number: vouchers back, the per-person limit still counted', async () => {
    const [oldPhone, newPhone] = [randomPhone(), randomPhone()];
    const idNumber = newIdNumber();
    const first = await signIn(oldPhone);
    const verified = await verifyAs(first, idNumber);
    expect(verified.status).toBe(200);
    expect(verified.body.reopened).toBe(false);
    const token = verified.body.accessToken as string;
    const campaign = await createActiveCampaign(rig.app, { quantity: [10] });
    const grabbed = await rig.grab({ id: first.resident.id, token }, campaign.rounds[0]);
    expect(grabbed.status).toBe(201);
    expect((await close(token, oldPhone, true)).status).toBe(204);
    // The service desk, shown the ID card, is told the account was closed and when, not "not found" (audited as a look-up of it).
    const atDesk = await deskLookUp(idNumber);
    expectCode(atDesk, 409, 'RESIDENT_CLOSED');
    const [{ closed_at: closedAt }] = (await rig.db.query(`SELECT closed_at FROM residents WHERE public_id = $1`, [first.resident.id])) as Array<{ closed_at: Date }>;
    expect(atDesk.body.details).toEqual({ closedAt: closedAt.toISOString() });
    expect(await auditOf('resident.lookup_by_official', first.resident.id)).toEqual([
      { actor_id: expect.any(String), actor_role: 'commerce_official', detail: { idNumber: expect.stringMatching(/^330203\*{8}/), found: false, closedAt: closedAt.toISOString() } },
    ]);

    const comer = await signIn(newPhone);
    expect(comer.resident.id).not.toBe(first.resident.id);
    const reopened = await verifyAs(comer, idNumber, '张三');
    expect(reopened.status).toBe(200);
    expect(reopened.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresInSeconds: 900,
      reopened: true,
      resident: { id: first.resident.id, phone: masked(newPhone), verified: true, realName: '张*', idNumberMasked: expect.stringMatching(/^330203\*{8}\d{3}[\dX]$/) },
    });
    const back = reopened.body as unknown as Session;
    // The account signed in with is retired: its session is over, and the number signs in to the old account.
    expectCode(await refresh(comer.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expect((await refresh(back.refreshToken)).status).toBe(200);
    expect((await signIn(newPhone)).resident).toEqual({ id: first.resident.id, phone: masked(newPhone), verified: true });
    expect(await rowOf(comer.resident.id)).toMatchObject({ phone: null, closed: false, verified: false });
    expect(await rowOf(first.resident.id)).toMatchObject({ real_name: '张三', closed: false, verified: true, hash_kept: true });

    const vouchers = await call('GET', '/v1/me/vouchers', back.accessToken);
    expect((vouchers.body.items as Array<{ id: string }>).map((voucher) => voucher.id)).toEqual([grabbed.body.id]);
    // The person's one voucher of the round is the one they had: the grab answers it again, and no second is made.
    const again = await rig.grab({ id: first.resident.id, token: back.accessToken }, campaign.rounds[0]);
    expect([again.status, again.body.id]).toEqual([200, grabbed.body.id]);
    expect(await rig.rowsOf(campaign.rounds[0])).toHaveLength(1);
    // The consents given on the way back are the reopened account's (the retired one's sign-in consent stays with it).
    const consents = await call('GET', '/v1/residents/me/consents', back.accessToken);
    expect((consents.body.items as Array<{ kind: string }>).map((consent) => consent.kind)).toEqual(['privacy_notice', 'sensitive_real_name']);
    expect(await auditOf('resident.reopen', first.resident.id)).toEqual([
      { actor_id: first.resident.id, actor_role: 'resident', detail: { closedAt: closedAt.toISOString(), retiredAccount: comer.resident.id } },
    ]);
    // Open again, the desk finds it.
    const foundAgain = await deskLookUp(idNumber);
    expect([foundAgain.status, foundAgain.body.id]).toEqual([200, first.resident.id]);
  });

  it('two reopenings of one closed account from two numbers at once: one reopens it, the other is told the ID number is taken', async () => {
    const [oldPhone, phoneA, phoneB] = [randomPhone(), randomPhone(), randomPhone()];
    const idNumber = newIdNumber();
    const first = await signIn(oldPhone);
    const token = (await verifyAs(first, idNumber)).body.accessToken as string;
    expect((await close(token, oldPhone)).status).toBe(204);

    const [a, b] = [await signIn(phoneA), await signIn(phoneB)];
    const answers = await Promise.all([verifyAs(a, idNumber), verifyAs(b, idNumber)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const loser = answers.find((answer) => answer.status === 409) as Answer;
    expect(loser.body.code).toBe('ID_NUMBER_TAKEN');
    const [open] = await rig.db.query(`SELECT count(*)::int AS n FROM residents WHERE id_number_hash = (SELECT id_number_hash FROM residents WHERE public_id = $1)`, [
      first.resident.id,
    ]);
    expect(open).toEqual({ n: 1 });
    expect(await rowOf(first.resident.id)).toMatchObject({ closed: false, verified: true });
  });
});
