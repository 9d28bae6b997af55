import { createHmac } from 'node:crypto';

/**
 * Alibaba Cloud's RPC-style request signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0),
 * as its API documentation gives it: every parameter but Signature, sorted by name, each name
 * and value percent-encoded, joined as a query; the string to sign is
 * "GET&%2F&" + that query percent-encoded once more; the key is the AccessKey secret + "&";
 * the signature is the HMAC's base64.
 */

/** RFC 3986 encoding of UTF-8 as the provider does it: only A-Z a-z 0-9 - _ . ~ stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The sorted, encoded query of every parameter but Signature: what is signed, and (with the signature) what is sent. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`)
    .join('&');
}

export function stringToSign(params: Readonly<Record<string, string>>, method = 'GET'): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function rpcSignature(params: Readonly<Record<string, string>>, accessKeySecret: string, method = 'GET'): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(params, method)).digest('base64');
}

/** The query string of a signed GET: the canonical query and its Signature. */
export function signedQuery(params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return `${canonicalQuery(params)}&Signature=${percentEncode(rpcSignature(params, accessKeySecret))}`;
}
