import { createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A local stand-in for Alibaba Cloud SMS (dysmsapi 2017-05-25, SendSms over the RPC API). It
 * checks a request as the provider does, with its own copy of the algorithm (not the app's):
 * the common and SendSms parameters, the AccessKey id, the timestamp's age, the nonce's
 * uniqueness, and the signature, recomputed with the secret it knows. A request that passes
 * gets the answer the test scripted (OK unless told otherwise), in the provider's shapes:
 * HTTP 200 with Code OK or an isv.* Code; errors of the call itself with their HTTP status.
 */
export type StandInAnswer =
  | 'ok'
  | 'throttled-minute'
  | 'throttled-day'
  | 'illegal-number'
  | 'out-of-balance'
  | 'server-error'
  | 'not-json'
  | 'hang';

/** One request that reached the stand-in, its parameters decoded. */
export interface ReceivedSend {
  params: Record<string, string>;
  /** The stand-in's own verdict: a Code, OK for a request that passed every check. */
  verdict: string;
  requestId: string;
}

export const STAND_IN_KEY_ID = 'LTAIstandin0001';
export const STAND_IN_SECRET = 'stand-in-secret-0123456789abcdef';

const REQUIRED = [
  'AccessKeyId',
  'Action',
  'Format',
  'RegionId',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
  'Version',
  'Signature',
  'PhoneNumbers',
  'SignName',
  'TemplateCode',
] as const;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const FIFTEEN_MINUTES_MS = 15 * 60_000;

/** RFC 3986 as the provider documents it, byte by byte of UTF-8: only A-Z a-z 0-9 - _ . ~ stay. */
const encode = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

function expectedSignature(params: Record<string, string>, secret: string): { signature: string; signed: string } {
  const query = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${encode(name)}=${encode(params[name])}`)
    .join('&');
  const signed = `GET&${encode('/')}&${encode(query)}`;
  return { signature: createHmac('sha1', `${secret}&`).update(signed).digest('base64'), signed };
}

export class AliyunSmsStandIn {
  readonly received: ReceivedSend[] = [];
  private readonly scripted: StandInAnswer[] = [];
  private readonly nonces = new Set<string>();
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;

  /** Where the app is pointed (SMS_ALIYUN_ENDPOINT). */
  url = '';

  static async start(): Promise<AliyunSmsStandIn> {
    const standIn = new AliyunSmsStandIn();
    standIn.server = createServer((req, res) => standIn.handle(req, res));
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
    return standIn;
  }

  /** The answers of the next requests that pass the checks, in order; OK after them. */
  script(...answers: StandInAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** The code in the TemplateParam of the last request that passed. */
  lastCode(): string {
    const last = [...this.received].reverse().find((send) => send.verdict === 'OK');
    if (!last) throw new Error('no request passed the stand-in');
    return (JSON.parse(last.params.TemplateParam) as { code: string }).code;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const params = Object.fromEntries(url.searchParams);
    const requestId = randomUUID().toUpperCase();
    const refusal = req.method === 'GET' && url.pathname === '/' ? this.check(params) : { status: 404, code: 'InvalidAction.NotFound', message: 'Specified api is not found' };
    const send = (status: number, body: Record<string, string>) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify({ RequestId: requestId, ...body }));
    };
    if (refusal) {
      this.received.push({ params, verdict: refusal.code, requestId });
      send(refusal.status, { HostId: 'dysmsapi.aliyuncs.com', Code: refusal.code, Message: refusal.message });
      return;
    }
    this.received.push({ params, verdict: 'OK', requestId });
    const answer = this.scripted.shift() ?? 'ok';
    switch (answer) {
      case 'ok':
        return send(200, { Code: 'OK', Message: 'OK', BizId: `${Date.now()}^0` });
      case 'throttled-minute':
        return send(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' });
      case 'throttled-day':
        return send(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发天级流控Permits:10' });
      case 'illegal-number':
        return send(200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' });
      case 'out-of-balance':
        return send(200, { Code: 'isv.AMOUNT_NOT_ENOUGH', Message: '账户余额不足' });
      case 'server-error':
        return send(503, { HostId: 'dysmsapi.aliyuncs.com', Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' });
      case 'not-json':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>');
        return;
      case 'hang':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
    }
  }

  /** The provider's checks of a call, in its order; null when the call may go on. */
  private check(params: Record<string, string>): { status: number; code: string; message: string } | null {
    const missing = REQUIRED.find((name) => !params[name]);
    if (missing) return { status: 400, code: `Missing${missing}`, message: `${missing} is mandatory for this action.` };
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') {
      return { status: 404, code: 'InvalidAction.NotFound', message: 'Specified api is not found, please check your url and method.' };
    }
    if (params.Format !== 'JSON' || params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
      return { status: 400, code: 'InvalidParameter', message: 'Format, SignatureMethod or SignatureVersion is not supported.' };
    }
    if (!TIMESTAMP.test(params.Timestamp) || Math.abs(Date.now() - Date.parse(params.Timestamp)) > FIFTEEN_MINUTES_MS) {
      return { status: 400, code: 'InvalidTimeStamp.Expired', message: 'Specified time stamp or date value is expired.' };
    }
    if (this.nonces.has(params.SignatureNonce)) {
      return { status: 400, code: 'SignatureNonceUsed', message: 'Specified signature nonce was used already.' };
    }
    this.nonces.add(params.SignatureNonce);
    if (params.AccessKeyId !== STAND_IN_KEY_ID) return { status: 404, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.' };
    const { signature, signed } = expectedSignature(params, STAND_IN_SECRET);
    if (params.Signature !== signature) {
      return {
        status: 400,
        code: 'SignatureDoesNotMatch',
        message: `Specified signature is not matched with our calculation. server string to sign is:${signed}`,
      };
    }
    try {
      const templateParam: unknown = JSON.parse(params.TemplateParam ?? '{}');
      if (typeof templateParam !== 'object' || templateParam === null || Object.values(templateParam).some((value) => typeof value !== 'string')) {
        throw new Error('not an object of strings');
      }
    } catch {
      return { status: 200, code: 'isv.INVALID_JSON_PARAM', message: 'JSON参数不合法，只接受字符串值' };
    }
    return null;
  }
}
