import { createHmac } from 'node:crypto';
import { canonicalQuery, percentEncode, rpcSignature, signedQuery, stringToSign } from './aliyun-rpc-signature';

/** The SendSms example of the provider's SMS documentation, with its published signature. */
const DOCUMENTED_SEND_SMS = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('the Alibaba Cloud RPC signature', () => {
  it('encodes as the provider does: space as %20, * as %2A, ~ kept, UTF-8 bytes upper-case', () => {
    expect(percentEncode('a b*c~d-_.')).toBe('a%20b%2Ac~d-_.');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('/=&+:')).toBe('%2F%3D%26%2B%3A');
    expect(percentEncode('宁')).toBe('%E5%AE%81');
  });

  it('gives the documented SendSms example its published signature', () => {
    expect(rpcSignature(DOCUMENTED_SEND_SMS, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('gives the documented RPC example (DescribeRegions) its published signature, whatever the order given', () => {
    const params = {
      Version: '2014-05-26',
      Timestamp: '2016-02-23T12:46:24Z',
      SignatureVersion: '1.0',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureMethod: 'HMAC-SHA1',
      Format: 'XML',
      Action: 'DescribeRegions',
      AccessKeyId: 'testid',
    };
    expect(rpcSignature(params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('signs the string the documentation spells out, computed here by hand', () => {
    const params = { TemplateParam: '{"code":"042917"}', Action: 'SendSms', SignName: '宁波 消费券*' };
    const written =
      'GET&%2F&Action%3DSendSms%26SignName%3D%25E5%25AE%2581%25E6%25B3%25A2%2520%25E6%25B6%2588%25E8%25B4%25B9%25E5%2588%25B8%252A' +
      '%26TemplateParam%3D%257B%2522code%2522%253A%2522042917%2522%257D';
    expect(stringToSign(params)).toBe(written);
    expect(rpcSignature(params, 'k3y')).toBe(createHmac('sha1', 'k3y&').update(written).digest('base64'));
  });

  it('leaves a Signature parameter out of what it signs, and sends the signature encoded', () => {
    const withSignature = { ...DOCUMENTED_SEND_SMS, Signature: 'anything' };
    expect(canonicalQuery(withSignature)).toBe(canonicalQuery(DOCUMENTED_SEND_SMS));
    expect(signedQuery(DOCUMENTED_SEND_SMS, 'testSecret')).toBe(
      `${canonicalQuery(DOCUMENTED_SEND_SMS)}&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D`,
    );
    expect(new URLSearchParams(signedQuery(DOCUMENTED_SEND_SMS, 'testSecret')).get('SignName')).toBe('阿里云短信测试专用');
  });
});
