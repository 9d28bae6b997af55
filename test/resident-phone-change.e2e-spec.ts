import { Client } from 'pg';
import { createActiveCampaign, createOpenLottery } from './support/campaigns';
import { SIGN_IN_CONSENT } from './support/consents';
import { waitUntilBlockedBy } from './support/database';
import { expectCode, RigAnswer as Answer } from './support/grab-rig';
import { maskedPhone as masked, randomResidentPhone as randomPhone, ResidentSession as Session, residentsRig } from './support/resident-sessions';

/**
 * A resident's number change against real Postgres and Redis: the account (vouchers, lottery
 * entries, verification) moves to the new number, every other session ends, each refusal
 * changes nothing, an empty account on the new number gives way, number-change and sign-in codes
 * are never taken for each other, and two changes racing for one number end with one winner.
 */
describe('a resident changes their phone number', () => {
  const { rig, sessions, call, refresh } = residentsRig();
  const sendSignInCode = (phone: string) => call('POST', '/v1/auth/otp', undefined, { phone, ...SIGN_IN_CONSENT });
  const signInWith = (phone: string, code: string) => call('POST', '/v1/auth/otp/verify', undefined, { phone, code, ...SIGN_IN_CONSENT });
  const sendChangeCode = (token: string, phone: string) => call('POST', '/v1/residents/me/phone/otp', token, { phone });
  const confirmChange = (token: string, phone: string, code: string) => call('POST', '/v1/residents/me/phone', token, { phone, code });
  const endCooldowns = (phone: string) => sessions.endCooldowns(phone);
  const signIn = (phone: string) => sessions.signIn(phone);
  const verify = (session: Session) => sessions.verify(session);

  async function changeCode(token: string, phone: string): Promise<string> {
    await endCooldowns(phone);
    const sent = await sendChangeCode(token, phone);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ sentTo: masked(phone), expiresInSeconds: 300, devCode: expect.stringMatching(/^\d{6}$/) });
    return sent.body.devCode as string;
  }

  async function change(token: string, phone: string): Promise<Answer> {
    return confirmChange(token, phone, await changeCode(token, phone));
  }

  /** What a refusal must leave as it was: the account's row, its live sessions, its audit entries, and the accounts on the number. */
  async function snapshot(residentId: string, otherPhone: string): Promise<unknown> {
    return rig.db.query(
      `SELECT (SELECT row_to_json(r) FROM residents r WHERE r.public_id = $1::uuid) AS account,
              (SELECT count(*)::int FROM refresh_tokens t JOIN residents r ON t.account_kind = 'resident' AND t.account_id = r.id
                WHERE r.public_id = $1::uuid AND t.revoked_at IS NULL) AS live_sessions,
              (SELECT count(*)::int FROM audit_log WHERE target_type = 'resident' AND target_id = $1::text) AS audited,
              (SELECT json_agg(r ORDER BY r.id) FROM residents r WHERE r.phone = $2) AS on_other_number`,
      [residentId, otherPhone],
    );
  }

  it('moves the account to the new number: vouchers, lottery entry and verification follow, other sessions end, the old number starts afresh', async () => {
    const [oldPhone, newPhone] = [randomPhone(), randomPhone()];
    const here = await signIn(oldPhone);
    const otherPhone = await signIn(oldPhone);
    const grabToken = await verify(here);
    const campaign = await createActiveCampaign(rig.app, { quantity: [10] });
    const grabbed = await rig.grab({ id: here.resident.id, token: grabToken }, campaign.rounds[0]);
    expect(grabbed.status).toBe(201);
    const lottery = await createOpenLottery(rig.app, rig.db);
    expect((await call('POST', `/v1/rounds/${lottery}/entries`, grabToken)).status).toBe(200);

    const changed = await change(grabToken, newPhone);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresInSeconds: 900,
      resident: { id: here.resident.id, phone: masked(newPhone), verified: true },
    });
    const fresh = changed.body as unknown as Session;

    // Every session that was, on this device and the other, is over; the new one goes on.
    expectCode(await refresh(otherPhone.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expectCode(await refresh(here.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expect((await refresh(fresh.refreshToken)).status).toBe(200);

    const again = await signIn(newPhone);
    expect(again.resident).toEqual({ id: here.resident.id, phone: masked(newPhone), verified: true });
    const vouchers = await call('GET', '/v1/me/vouchers', again.accessToken);
    expect((vouchers.body.items as Array<{ id: string }>).map((voucher) => voucher.id)).toEqual([grabbed.body.id]);
    expect((await call('GET', `/v1/rounds/${lottery}/entries/mine`, again.accessToken)).status).toBe(200);

    const stranger = await signIn(oldPhone);
    expect(stranger.resident.id).not.toBe(here.resident.id);
    expect(stranger.resident.verified).toBe(false);
    expect((await call('GET', '/v1/me/vouchers', stranger.accessToken)).body.items).toEqual([]);

    const entries: Array<{ actor_id: string; actor_role: string; detail: Record<string, unknown> }> = await rig.db.query(
      `SELECT actor_id, actor_role, detail FROM audit_log WHERE action = 'resident.phone_change' AND target_id = $1`,
      [here.resident.id],
    );
    expect(entries).toEqual([
      { actor_id: here.resident.id, actor_role: 'resident', detail: { from: masked(oldPhone), to: masked(newPhone), emptyAccountRetired: false } },
    ]);
  });

  it('refuses, changing nothing: the same number, a malformed one, a wrong, burned or missing code, and a number whose account holds something', async () => {
    const [phone, otherPhone] = [randomPhone(), randomPhone()];
    const session = await signIn(phone);
    const token = await verify(session);
    const before = await snapshot(session.resident.id, otherPhone);

    expectCode(await sendChangeCode(token, ` +86 ${phone}`), 400, 'PHONE_UNCHANGED');
    expectCode(await confirmChange(token, phone, '123456'), 400, 'PHONE_UNCHANGED');
    for (const malformed of ['12345', '+1 415 555 0100', '1380000000x']) {
      expectCode(await sendChangeCode(token, malformed), 400, 'INVALID_PHONE');
      expectCode(await confirmChange(token, malformed, '123456'), 400, 'INVALID_PHONE');
    }
    expectCode(await confirmChange(token, otherPhone, '123456'), 401, 'OTP_EXPIRED');

    // Wrong codes are counted as sign-in's are: five, then the code is burned, the right one too.
    const code = await changeCode(token, otherPhone);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let triesLeft = 4; triesLeft >= 0; triesLeft--) {
      const answer = await confirmChange(token, otherPhone, wrong);
      expectCode(answer, 401, 'OTP_INVALID');
      expect(answer.body.details).toEqual({ triesLeft });
    }
    expectCode(await confirmChange(token, otherPhone, code), 429, 'OTP_TOO_MANY_TRIES');
    expect(await snapshot(session.resident.id, otherPhone)).toEqual(before);

    // Another number whose account holds something: its verification, or (unverified since, as
    // the database allows) only a voucher, or only a lottery entry. Its owner's session goes on.
    const unverify = (id: string) =>
      rig.db.query(`UPDATE residents SET verified_at = NULL, id_number_hash = NULL, id_number_masked = NULL, real_name = NULL WHERE public_id = $1`, [id]);
    const holdings: Record<string, (holder: Session, token: string) => Promise<void>> = {
      'real-name verified': async () => undefined,
      'a voucher only': async (holder, holderToken) => {
        const campaign = await createActiveCampaign(rig.app, { quantity: [10] });
        expect((await rig.grab({ id: holder.resident.id, token: holderToken }, campaign.rounds[0])).status).toBe(201);
        await unverify(holder.resident.id);
      },
      'a lottery entry only': async (holder, holderToken) => {
        const lottery = await createOpenLottery(rig.app, rig.db);
        expect((await call('POST', `/v1/rounds/${lottery}/entries`, holderToken)).status).toBe(200);
        await unverify(holder.resident.id);
      },
    };
    for (const [what, arrange] of Object.entries(holdings)) {
      const takenPhone = randomPhone();
      const holder = await signIn(takenPhone);
      await arrange(holder, await verify(holder));
      const mine = await snapshot(session.resident.id, takenPhone);
      const theirs = await snapshot(holder.resident.id, phone);
      const answer = await change(token, takenPhone);
      expect([what, answer.status, answer.body.code]).toEqual([what, 409, 'PHONE_TAKEN']);
      expect(await snapshot(session.resident.id, takenPhone)).toEqual(mine);
      expect(await snapshot(holder.resident.id, phone)).toEqual(theirs);
      expect((await refresh(holder.refreshToken)).status).toBe(200);
    }
  });

  it('frees the number from an empty account on it (made by signing in with the new SIM first): retired, its sessions ended', async () => {
    const [phone, newPhone] = [randomPhone(), randomPhone()];
    const session = await signIn(phone);
    const token = await verify(session);
    const empty = await signIn(newPhone);

    const changed = await change(token, newPhone);
    expect(changed.status).toBe(200);
    expect(changed.body.resident).toEqual({ id: session.resident.id, phone: masked(newPhone), verified: true });
    // Retired, not deleted (residents are never deleted): no number, so nothing signs in to it.
    expect(await rig.db.query(`SELECT public_id, phone FROM residents WHERE public_id IN ($1, $2) ORDER BY id`, [session.resident.id, empty.resident.id])).toEqual([
      { public_id: session.resident.id, phone: newPhone },
      { public_id: empty.resident.id, phone: null },
    ]);
    expectCode(await refresh(empty.refreshToken), 401, 'REFRESH_TOKEN_REVOKED');
    expectCode(await call('GET', '/v1/residents/me', empty.accessToken), 404, 'RESIDENT_NOT_FOUND');
    const [entry]: Array<{ detail: Record<string, unknown> }> = await rig.db.query(
      `SELECT detail FROM audit_log WHERE action = 'resident.phone_change' AND target_id = $1`,
      [session.resident.id],
    );
    expect(entry.detail).toEqual({ from: masked(phone), to: masked(newPhone), emptyAccountRetired: true });
  });

  it('never takes a sign-in code for a number change, nor a number-change code for a sign-in', async () => {
    const [phone, newPhone] = [randomPhone(), randomPhone()];
    const session = await signIn(phone);

    const signInCode = await sendSignInCode(newPhone);
    expect(signInCode.status).toBe(202);
    expectCode(await confirmChange(session.accessToken, newPhone, signInCode.body.devCode as string), 401, 'OTP_EXPIRED');

    const changeOnly = await changeCode(session.accessToken, newPhone);
    expect(changeOnly).not.toBe(signInCode.body.devCode);
    expectCode(await signInWith(newPhone, changeOnly), 401, 'OTP_INVALID');
    expect(await rig.db.query(`SELECT 1 FROM residents WHERE phone = $1`, [newPhone])).toEqual([]);

    // Each code still does what it is for: nothing was used up by the other's try.
    expect((await confirmChange(session.accessToken, newPhone, changeOnly)).status).toBe(200);
    const signedIn = await signInWith(newPhone, signInCode.body.devCode as string);
    expect(signedIn.status).toBe(200);
    expect((signedIn.body as unknown as Session).resident.id).toBe(session.resident.id);
  });

  it.each([
    ['nobody holds the number', false],
    ['an empty account holds the number', true],
  ])('lets exactly one of two residents confirming the same new number at once win; the other gets 409 PHONE_TAKEN (%s)', async (_, emptyHolder) => {
    const newPhone = randomPhone();
    const [first, second] = [await signIn(randomPhone()), await signIn(randomPhone())];
    const firstToken = await verify(first);
    if (emptyHolder) await signIn(newPhone);
    const ids: Array<{ id: string }> = await rig.db.query(`SELECT id FROM residents WHERE public_id IN ($1, $2)`, [first.resident.id, second.resident.id]);

    // Both residents' rows held, so both confirms pass their codes (one code at a time per number), then wait together.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM residents WHERE id = ANY($1::bigint[]) FOR UPDATE`, [ids.map((row) => row.id)]);
      const firstAnswer = change(firstToken, newPhone);
      await waitUntilBlockedBy(rig.db, holder, 1);
      const secondAnswer = change(second.accessToken, newPhone);
      await waitUntilBlockedBy(rig.db, holder, 2);
      await holder.query('COMMIT');
      const answers = await Promise.all([firstAnswer, secondAnswer]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('PHONE_TAKEN');
      const winner = answers.findIndex((answer) => answer.status === 200);
      const owners: Array<{ public_id: string }> = await rig.db.query(`SELECT public_id FROM residents WHERE phone = $1`, [newPhone]);
      expect(owners).toEqual([{ public_id: [first, second][winner].resident.id }]);
      const loser = [first, second][1 - winner];
      expect(await rig.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1`, [loser.resident.id])).toEqual([{ n: 0 }]);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});
