// Drives Alipay's Node SDK curl() (OpenAPI v3), and exec() (v2, at
// <endpoint>/gateway.do), for alipay/emulator/interop_test.go, one call
// per line.
//
// stdin, one JSON document per line: first the configuration {endpoint,
// appId, appPrivateKey, alipayPublicKey}, then calls {id, method, path,
// body?, query?} for curl() or {id, exec: "<api method>", bizContent,
// notifyUrl?} for exec() with validateSign. stdout, one line each:
// {ready, sdkVersion} for the configuration, then per call {id, ok: true,
// status, data, traceId} or {id, ok: false, name, message, code, status,
// errorSigned}. exec() resolves with the answer's (camelCased) fields
// whatever its code, so a 40004 is ok: true too.
//
// curl() verifies the signature of every 2xx answer itself and throws when
// it does not verify. It reads an error answer (HTTP >= 400) without
// checking its signature, so for those errorSigned reports the SDK's own
// verifySignatureV3 over the same text curl() would check
// ("alipay-timestamp\nalipay-nonce\nbody\n"), on the raw answer kept below.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import urllib from 'urllib';
import { AlipaySdk } from 'alipay-sdk';
// Not exported from the package entry point; the same module instance
// AlipaySdk uses (see check.mjs).
import { verifySignatureV3 } from './node_modules/alipay-sdk/dist/esm/util.js';

const sdkVersion = JSON.parse(
  readFileSync(new URL('./node_modules/alipay-sdk/package.json', import.meta.url), 'utf8')).version;

// The SDK calls urllib.request on this very object (its own tests mock it
// the same way), so wrapping it shows the raw answer of each call.
let last;
const request = urllib.request;
urllib.request = async (url, options) => {
  last = await request(url, options);
  return last;
};

function write(v) {
  process.stdout.write(JSON.stringify(v) + '\n');
}

function signedBySDKRule(res, publicKey) {
  const h = res.headers;
  try {
    return verifySignatureV3(`${h['alipay-timestamp']}\n${h['alipay-nonce']}\n${res.data}\n`, h['alipay-signature'], publicKey);
  } catch {
    return false; // no signature header at all
  }
}

async function call(sdk, { id, method, path, body, query, exec, bizContent, notifyUrl }) {
  last = undefined;
  try {
    if (exec) {
      // An undefined parameter would make the SDK's signer throw.
      const params = notifyUrl ? { bizContent, notifyUrl } : { bizContent };
      const data = await sdk.exec(exec, params, { validateSign: true });
      return { id, ok: true, data };
    }
    const res = await sdk.curl(method, path, { body, query });
    return { id, ok: true, status: res.responseHttpStatus, data: res.data, traceId: res.traceId };
  } catch (err) {
    const out = { id, ok: false, name: err.name, message: String(err.message).slice(0, 300), code: err.code, status: err.responseHttpStatus };
    if (last && last.status >= 400) out.errorSigned = signedBySDKRule(last, sdk.config.alipayPublicKey);
    return out;
  }
}

let sdk;
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const msg = JSON.parse(line);
  if (!sdk) {
    sdk = new AlipaySdk({
      appId: msg.appId,
      privateKey: msg.appPrivateKey,
      alipayPublicKey: msg.alipayPublicKey,
      endpoint: msg.endpoint,
      gateway: msg.endpoint + '/gateway.do',
      timeout: 10000,
    });
    write({ ready: true, sdkVersion });
    continue;
  }
  write(await call(sdk, msg));
}
