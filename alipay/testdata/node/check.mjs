// Interop checker for kiosk/alipay (used by alipay/interop_test.go).
//
// Reads one JSON document on stdin: {appId, appPrivateKey, appPublicKey,
// alipayPrivateKey, alipayPublicKey, jobs: [{id, kind, signType, ...}]}
// and writes {sdkVersion, results: [{id, ...}]} on stdout, one result per job, in order.
// Each job runs Alipay's own Node.js SDK (alipay-sdk, pinned in
// package.json) or plain node:crypto on what the Go test produced, so the
// Go side can compare. A job that throws reports {id, error} instead of
// stopping the batch. All jobs share one process to keep the test fast.
import { createSign, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AlipaySdk } from 'alipay-sdk';
// The request signer is not exported from the package entry point, and the
// package's "exports" map hides its files from bare specifiers, so it is
// imported by path. It is the same module instance AlipaySdk uses.
import { sign as sdkSign, ALIPAY_ALGORITHM_MAPPING } from './node_modules/alipay-sdk/dist/esm/util.js';

const input = JSON.parse(readFileSync(0, 'utf8'));
const sdkVersion = JSON.parse(
  readFileSync(new URL('./node_modules/alipay-sdk/package.json', import.meta.url), 'utf8')).version;

// One SDK per sign type, configured the way a merchant would: app private
// key to sign requests, Alipay public key to check responses and notices.
const sdks = {};
function sdkFor(signType) {
  sdks[signType] ??= new AlipaySdk({
    appId: input.appId,
    privateKey: input.appPrivateKey,
    alipayPublicKey: input.alipayPublicKey,
    signType,
  });
  return sdks[signType];
}

function algorithm(signType) {
  const alg = ALIPAY_ALGORITHM_MAPPING[signType];
  if (!alg) throw new Error(`unknown sign type ${signType}`);
  return alg;
}

// The common parameters the SDK takes from its config rather than from the
// caller; everything else is handed to it as a caller parameter.
const fromConfig = new Set(['method', 'app_id', 'charset', 'version', 'sign_type', 'sign', 'biz_content']);

// callerParams turns [[k, v], ...] (kept in order: sdkExecute writes its
// output in insertion order) into what sign() and sdkExecute() accept.
function callerParams(pairs) {
  const out = {};
  let biz;
  for (const [k, v] of pairs) {
    if (k === 'biz_content') biz = JSON.parse(v);
    else if (!fromConfig.has(k)) out[k] = v;
  }
  if (biz !== undefined) out.bizContent = biz;
  return out;
}

function get(pairs, key) {
  const hit = pairs.find(([k]) => k === key);
  return hit ? hit[1] : undefined;
}

const handlers = {
  // a. The SDK signs the same request; RSA PKCS#1 v1.5 is deterministic,
  // so an identical signature means an identical signing string. Also
  // checks our sign over our signing string with plain node:crypto.
  sdkSign(job) {
    const sdk = sdkFor(job.signType);
    const config = {
      ...sdk.config,
      appId: get(job.params, 'app_id'),
      charset: get(job.params, 'charset'),
      version: get(job.params, 'version'),
    };
    const signed = sign(get(job.params, 'method'), callerParams(job.params), config);
    const cryptoVerify = createVerify(algorithm(job.signType))
      .update(job.signingString, 'utf8')
      .verify(input.appPublicKey, get(job.params, 'sign'), 'base64');
    return { sign: signed.sign, params: signed, cryptoVerify };
  },

  // The App-pay order string as the SDK writes it for the same order.
  sdkExecute(job) {
    const sdk = sdkFor(job.signType);
    return { orderString: sdk.sdkExecute(get(job.params, 'method'), callerParams(job.params)) };
  },

  // b. Plays Alipay: signs the exact response text with Alipay's key and
  // wraps it the way the gateway does.
  signResponse(job) {
    const sig = createSign(algorithm(job.signType))
      .update(job.body, 'utf8')
      .sign(input.alipayPrivateKey, 'base64');
    return { raw: `{"${job.responseKey}":${job.body},"sign":"${sig}"}` };
  },

  // The SDK's own response check, as exec() calls it with validateSign.
  checkResponse(job) {
    const sdk = sdkFor(job.signType);
    try {
      sdk.checkResponseSign(job.raw, job.responseKey, JSON.parse(job.raw).sign);
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: String(err.message).slice(0, 200) };
    }
  },

  // c. Plays Alipay sending a notification: sorted k=v of every non-empty
  // parameter except sign and sign_type, raw values, signed with Alipay's
  // key. The SDK only verifies notifications, so node:crypto signs.
  signNotify(job) {
    const content = Object.keys(job.form)
      .filter(k => k !== 'sign' && k !== 'sign_type' && job.form[k] !== '')
      .sort()
      .map(k => `${k}=${job.form[k]}`)
      .join('&');
    const sig = createSign(algorithm(job.signType))
      .update(content, 'utf8')
      .sign(input.alipayPrivateKey, 'base64');
    return { sign: sig, signingString: content };
  },

  // The SDK's notification check (V2: values used as posted, no decoding).
  checkNotify(job) {
    return { ok: sdkFor(job.signType).checkNotifySignV2(job.form) };
  },
};

// sign is wrapped so that a missing export fails loudly, not as undefined.
function sign(method, params, config) {
  if (typeof sdkSign !== 'function') throw new Error('alipay-sdk util.js exports no sign()');
  return sdkSign(method, params, config);
}

const results = input.jobs.map(job => {
  try {
    const handler = handlers[job.kind];
    if (!handler) throw new Error(`unknown job kind ${job.kind}`);
    return { id: job.id, ...handler(job) };
  } catch (err) {
    return { id: job.id, error: String(err.stack || err) };
  }
});
process.stdout.write(JSON.stringify({ sdkVersion, results }));
