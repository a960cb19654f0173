// A small OpenAPI v3 gateway for alipay/interop_v3_test.go. It checks each
// request's authorization by the rules of Alipay's Node SDK, the client
// side of which is curl() in alipay.js, and answers the way curl() expects,
// signed with the SDK's own signatureV3.
//
// Configuration: the JSON in $INTEROP_V3_CONFIG, {appId, appPublicKey,
// alipayPrivateKey, appCertSn?, alipayRootCertSn?, alipayCertSn?}. It
// listens on a free loopback port, prints {"port": N} and serves until
// stdin closes.
//
// What a request must be (curl() builds it so):
//   authorization: ALIPAY-SHA256withRSA app_id=<appId>[,app_cert_sn=<sn>],nonce=<UUID>,timestamp=<ms>,sign=<base64>
//   sign = RSA-SHA256 over `${authString}\n${METHOD}\n${path and query}\n${body}\n`
//          (+ `${alipay-app-auth-token}\n` when that header is sent), checked
//          here with the SDK's verifySignatureV3 and the app public key;
//   the nonce new, the timestamp within 5 minutes, a JSON body for a POST,
//   none for a GET, and in certificate mode alipay-root-cert-sn.
// A request that passes gets the header x-interop-check: ok; one that fails
// gets x-interop-check: fail and an unsigned 401 whose message says why.
//
// Answers are chosen by out_trade_no, so that the Go test can ask for
// damaged ones: TAMPER_BODY, TAMPER_SIG, NO_SIGNATURE, NO_NONCE,
// NO_TIMESTAMP, ROTATED_SN, and for query NOT_EXIST (a signed 400),
// NOT_EXIST_TAMPERED and NOT_EXIST_UNSIGNED.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { signatureV3, verifySignatureV3 } from './node_modules/alipay-sdk/dist/esm/util.js';

const cfg = JSON.parse(process.env.INTEROP_V3_CONFIG);
const AUTH = /^ALIPAY-SHA256withRSA (app_id=([^,]+)(?:,app_cert_sn=([^,]+))?,nonce=([^,]+),timestamp=(\d+)),sign=([A-Za-z0-9+/]+={0,2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const seenNonces = new Set();

// check lists what is wrong with a request by the SDK's rules.
function check(req, body) {
  const m = AUTH.exec(req.headers.authorization ?? '');
  if (!m) return ['authorization is not in the SDK format: ' + req.headers.authorization];
  const [, authString, appId, appCertSn, nonce, timestamp, sign] = m;
  const problems = [];
  if (appId !== cfg.appId) problems.push(`app_id ${appId}`);
  if (appCertSn !== undefined) {
    if (appCertSn !== cfg.appCertSn) problems.push(`app_cert_sn ${appCertSn}`);
    if (req.headers['alipay-root-cert-sn'] !== cfg.alipayRootCertSn) problems.push('alipay-root-cert-sn header');
  }
  if (!UUID.test(nonce)) problems.push(`nonce ${nonce} is not a UUID`);
  if (seenNonces.has(nonce)) problems.push(`nonce ${nonce} used twice`);
  seenNonces.add(nonce);
  if (Math.abs(Date.now() - Number(timestamp)) > 5 * 60 * 1000) problems.push(`timestamp ${timestamp} is stale`);
  let signString = `${authString}\n${req.method}\n${req.url}\n${body}\n`;
  const token = req.headers['alipay-app-auth-token'];
  if (token) signString += `${token}\n`;
  if (!verifySignatureV3(signString, sign, cfg.appPublicKey)) problems.push('sign does not verify over ' + JSON.stringify(signString));
  if (req.method === 'GET' && body !== '') problems.push('a GET with a body');
  if (req.method === 'POST' && req.headers['content-type'] !== 'application/json') problems.push('content-type ' + req.headers['content-type']);
  if (req.headers.accept !== 'application/json') problems.push('accept ' + req.headers.accept);
  return problems;
}

// answer is [status, object] for a request that passed.
function answer(path, b) {
  const no = b.out_trade_no;
  switch (path) {
    case '/v3/alipay/trade/precreate':
      return [200, { out_trade_no: no, qr_code: 'https://qr.alipay.com/bax08431' }];
    case '/v3/alipay/trade/query':
      if (no?.startsWith('NOT_EXIST')) return [400, { code: 'ACQ.TRADE_NOT_EXIST', message: '交易不存在', links: [] }];
      return [200, { trade_no: '2026010222001468450512505578', out_trade_no: no, buyer_logon_id: 'xud***@126.com',
        trade_status: 'TRADE_SUCCESS', total_amount: '12.34', send_pay_date: '2026-01-02 11:05:06' }];
    case '/v3/alipay/trade/cancel':
      return [200, { trade_no: '2026010222001468450512505578', out_trade_no: no, retry_flag: 'N', action: 'close' }];
    case '/v3/alipay/trade/close':
      return [200, { trade_no: '2026010222001468450512505578', out_trade_no: no }];
    case '/v3/alipay/trade/refund':
      return [200, { trade_no: '2026010222001468450512505578', out_trade_no: no, fund_change: 'Y', refund_fee: b.refund_amount,
        gmt_refund_pay: '2026-01-02 11:06:07' }];
    case '/v3/alipay/trade/fastpay/refund/query':
      return [200, { trade_no: '2026010222001468450512505578', out_trade_no: no, out_request_no: b.out_request_no,
        refund_status: 'REFUND_SUCCESS', total_amount: '12.34', refund_amount: '2.00' }];
    case '/v3/alipay/trade/pay':
      return [200, { trade_no: '2026010222001468450512505578', out_trade_no: no, total_amount: b.total_amount,
        gmt_payment: '2026-01-02 11:04:09' }];
    case '/v3/alipay/data/dataservice/bill/downloadurl/query':
      return [200, { bill_download_url: `https://dwbillcenter.alipay.com/downloadBillFile.resource?bill_date=${b.bill_date}` }];
  }
  return [404, { code: 'invalid-method', message: path, links: [] }];
}

function fields(req, body) {
  const url = new URL(req.url, 'http://gateway');
  if (req.method === 'GET') return Object.fromEntries(url.searchParams);
  try { return JSON.parse(body); } catch { return {}; }
}

function reply(res, status, obj, damage) {
  let text = JSON.stringify(obj);
  const timestamp = String(Date.now());
  const nonce = randomUUID();
  let signature = signatureV3(`${timestamp}\n${nonce}\n${text}\n`, cfg.alipayPrivateKey);
  const headers = { 'content-type': 'application/json;charset=utf-8', 'alipay-trace-id': nonce.replaceAll('-', '') };
  if (damage === 'TAMPER_BODY' || damage === 'NOT_EXIST_TAMPERED') text = text.replace('2026', '2027').replace('交易', '订单');
  if (damage === 'TAMPER_SIG') signature = signatureV3(`${timestamp}\n${nonce}\n${text} \n`, cfg.alipayPrivateKey);
  if (damage !== 'NO_TIMESTAMP' && damage !== 'NOT_EXIST_UNSIGNED') headers['alipay-timestamp'] = timestamp;
  if (damage !== 'NO_NONCE' && damage !== 'NOT_EXIST_UNSIGNED') headers['alipay-nonce'] = nonce;
  if (damage !== 'NO_SIGNATURE' && damage !== 'NOT_EXIST_UNSIGNED') headers['alipay-signature'] = signature;
  if (cfg.alipayCertSn) headers['alipay-sn'] = damage === 'ROTATED_SN' ? '0123456789abcdef0123456789abcdef' : cfg.alipayCertSn;
  res.writeHead(status, headers);
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const problems = check(req, body);
    if (problems.length > 0) {
      res.setHeader('x-interop-check', 'fail'); // the reasons, which may hold any text, go in the body
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'invalid-signature', message: problems.join('; '), links: [] }));
      return;
    }
    res.setHeader('x-interop-check', 'ok');
    const b = fields(req, body);
    const [status, obj] = answer(new URL(req.url, 'http://gateway').pathname, b);
    reply(res, status, obj, b.out_trade_no);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
