// Browser tests of the explorer: Debian's chromium, headless, driven by
// playwright-core, against a live devnet whose activity the README tour
// made (scripts/test.sh runs it). Every page must show the chain's real
// data: each assertion compares the page with values this test reads from
// the node's REST API at the same moment, never with constants. A reading
// submitted during the test must appear on the device page without reload.
// One screenshot per page goes to $EXPLORER_SCREENSHOTS.
//
// Environment: FRUCTUS_API (http://127.0.0.1:PORT), FRUCTUS_BIN (the
// fructus binary, for the reading; its keyring is the tour's $HOME),
// EXPLORER_URL (default $FRUCTUS_API/explorer/), EXPLORER_SCREENSHOTS,
// CHROMIUM (default /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const API = process.env.FRUCTUS_API;
const BIN = process.env.FRUCTUS_BIN;
if (!API || !BIN) throw new Error('set FRUCTUS_API and FRUCTUS_BIN (scripts/test.sh does)');
const EXPLORER = process.env.EXPLORER_URL ?? `${API}/explorer/`;
const SHOTS = process.env.EXPLORER_SCREENSHOTS ?? 'screenshots';
const TIMEOUT = 20_000;
mkdirSync(SHOTS, { recursive: true });

async function rest(path) {
  const response = await fetch(`${API}/v1${path}`);
  if (!response.ok) throw new Error(`GET /v1${path}: ${response.status}`);
  return response.json();
}

async function historyOn() {
  const response = await fetch(`${API}/v1/history/status`);
  return response.ok && (await response.json()).enabled !== false;
}

let failures = 0;
const results = [];
async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures += 1;
    results.push(`FAIL ${name}: ${e instanceof Error ? e.stack : e}`);
  }
  console.log(results[results.length - 1]);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
page.setDefaultTimeout(TIMEOUT);
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
// The node's Content-Security-Policy must not block anything the pages do.
page.on('console', (m) => {
  if (m.type() === 'error' && m.text().includes('Content Security Policy')) consoleErrors.push(m.text());
});

async function open(route, ready) {
  await page.goto(`${EXPLORER}#/${route}`);
  await page.waitForSelector(ready);
}

async function text(selector) {
  return (await page.textContent(selector)) ?? '';
}

async function shot(name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * A history section: with the indexer on, its chart has one point per item
 * of the history route `path` (or says there are none); with it off, the
 * section says history is not available.
 */
async function checkHistoryChart(section, on, path) {
  if (!on) {
    const note = await text(`${section} .no-history`);
    assert(note.includes('history not available'), `${section}: expected the no-history note, got ${note}`);
    return;
  }
  const items = (await rest(`/history${path}${path.includes('?') ? '&' : '?'}limit=1000`)).items;
  if (items.length === 0) {
    await page.waitForSelector(`${section} .note, ${section} .chart`);
    return;
  }
  await page.waitForSelector(`${section} .chart canvas`);
  const points = Number(await page.getAttribute(`${section} .chart`, 'data-points'));
  assert(points === items.length, `${section}: chart has ${points} points, history ${path} has ${items.length}`);
}

const history = await historyOn();
console.log(`history routes: ${history ? 'served (indexer on)' : 'absent (404)'}`);

await check('the node serves the explorer with its content types', async () => {
  const index = await fetch(EXPLORER);
  assert(index.ok && (index.headers.get('content-type') ?? '').startsWith('text/html'), 'index.html');
  assert(index.headers.get('cache-control') === 'no-cache', 'index.html must be revalidated');
  assert((index.headers.get('content-security-policy') ?? '').includes("default-src 'self'"), 'a CSP');
  const html = await index.text();
  const script = /src="([^"]+\.js)"/.exec(html)?.[1];
  assert(script, 'index.html names its script');
  const js = await fetch(new URL(script, EXPLORER));
  assert((js.headers.get('content-type') ?? '').startsWith('text/javascript'), 'script content type');
  assert((js.headers.get('cache-control') ?? '').includes('immutable'), 'hashed assets are immutable');
  const doc = await (await fetch(`${API}/openapi.json`)).json();
  assert(!Object.keys(doc.paths).some((p) => p.startsWith('/explorer')), 'the explorer is not in the API document');
});

await check('dashboard shows height, block time, tx/s and validators by tier', async () => {
  const status = await rest('/status');
  const validators = await rest('/validators');
  const staking = await rest('/staking/validators');
  await open('', '#tiers');
  const height = Number(await text('#height'));
  assert(height >= status.latest_height, `height ${height} < ${status.latest_height}`);
  assert(/\d+\.\d\d s/.test(await text('#block-time')), 'block time');
  assert(/^\d+\.\d+$/.test(await text('#tps')), 'tx/s');
  assert(Number(await text('#validator-count')) === validators.length, 'validator count');
  const table = await text('#validators');
  for (const v of validators) assert(table.includes(v.address), `validator ${v.address}`);
  const tier = (await rest(`/identity/accounts/${staking[0].operator}`)).tier;
  assert((await text('#tiers')).includes(tier), `tier ${tier}`);
  // Live: the height moves without reload.
  await page.waitForFunction((h) => Number(document.getElementById('height')?.textContent) > h, height, { timeout: TIMEOUT });
  await shot('dashboard');
});

// A block with a transaction: the pool's creation.
const pool = (await rest('/amm/pools')).pools[0];
const poolBlock = await rest(`/blocks/${pool.created_height}`);
const poolTx = await rest(`/txs/${poolBlock.tx_hashes[0]}`);

await check('blocks list and block detail', async () => {
  const status = await rest('/status');
  await open('blocks', '#blocks');
  const first = Number((await text('#blocks tbody tr:first-child td:first-child')).trim());
  assert(first >= status.latest_height, `newest block ${first} < ${status.latest_height}`);
  await shot('blocks');
  await open(`block/${poolBlock.height}`, '#block-txs');
  assert((await text('#block')).includes(poolBlock.hash), 'block hash');
  assert((await text('#block-txs')).includes(poolTx.hash), 'block lists its tx');
  assert((await text('#block-txs')).includes('amm_create_pool'), 'tx decoded in the block');
  await shot('block');
});

await check('transaction with decoded messages and events', async () => {
  await open(`tx/${poolTx.hash}`, '#tx');
  const body = await text('main');
  assert(body.includes('amm_create_pool'), 'message kind decoded');
  assert(body.includes(pool.denom_a) && body.includes(pool.denom_b), 'message fields decoded');
  for (const e of poolTx.events) assert(body.includes(e.kind), `event ${e.kind}`);
  const fee = poolTx.events.find((e) => e.kind === 'tx.fee').attributes.find((a) => a.key === 'amount').value;
  assert((await text('#tx')).includes(fee), `fee ${fee}`);
  await shot('tx');
});

await check('a bank send decodes its recipient to the address the chain names', async () => {
  // The tour's first transaction is a bank send; find the first block with one.
  const status = await rest('/status');
  let send = null;
  for (let h = 1; h <= Math.min(status.latest_height, 60) && !send; h++) {
    for (const hash of (await rest(`/blocks/${h}`)).tx_hashes) {
      const t = await rest(`/txs/${hash}`);
      if (!send && t.code === 0 && t.events.some((e) => e.kind === 'bank.transfer')) send = t;
    }
  }
  assert(send, 'no bank send in the first blocks');
  // The message's own transfer is the last one (a fee may move funds first).
  const transfer = send.events.filter((e) => e.kind === 'bank.transfer').pop();
  const to = transfer.attributes.find((a) => a.key === 'to').value;
  await open(`tx/${send.hash}`, '#tx');
  assert((await text('main .message')).includes('bank_send'), 'bank_send decoded');
  assert((await text('main .message')).includes(to), `recipient ${to} decoded from its bytes`);
});

const asset = await rest('/assets/1');
const device = (await rest('/devices/asset/1'))[0];

await check('account with balances and the assets it owns', async () => {
  const owner = await rest(`/accounts/${asset.owner}`);
  await open(`account/${asset.owner}`, '#balances');
  const balances = await text('#balances');
  for (const b of owner.balances) assert(balances.includes(b.denom), `denom ${b.denom}`);
  const share = owner.balances.find((b) => b.denom === 'share/1');
  if (share) assert(balances.includes(share.amount), 'share/1 amount');
  assert((await text('main')).includes('SN-0001'), 'owned asset listed');
  await shot('account');
});

await check('asset with owners pie, income and devices', async () => {
  const holders = await rest('/assets/1/holders');
  const income = await rest('/assets/1/income');
  await open('asset/1', '#holders');
  const table = await text('#holders');
  for (const h of holders) assert(table.includes(h.address) && table.includes(h.shares), `holder ${h.address}`);
  assert(await page.$('figure.pie svg path'), 'owners pie drawn');
  for (const i of income) assert((await text('#income')).includes(i.credited_to_shares), 'income');
  assert((await text('#devices')).includes(device.address), 'device listed');
  await checkHistoryChart('section:has(h2:text("Income over time"))', history, '/assets/1/usage');
  await shot('asset');
});

await check('a reading submitted now appears on the device page without reload', async () => {
  await open(`device/${device.address}`, '#device');
  const before = await rest(`/devices/${device.address}`);
  assert((await text('#device-sequence')) === String(before.last_sequence), 'sequence shown');
  await checkHistoryChart('section:has(h2:text("Usage"))', history, `/devices/${device.address}/usage`);
  const chartBox = await page.$('.chart');
  const pointsBefore = chartBox ? Number(await chartBox.getAttribute('data-points')) : 0;
  await page.evaluate(() => { window.__sameDocument = true; });
  // Give the page's WebSocket time to open before the reading commits.
  await page.waitForSelector('#live.on');
  const sequence = before.last_sequence + 1;
  execFileSync(BIN, ['tx', 'device', 'reading', 'meter', '--sequence', String(sequence),
    '--counter', String(before.counter + 12), '--keyring-backend', 'test', '--wait'],
  { env: { ...process.env, FRUCTUS_NODE: API }, stdio: 'pipe', timeout: 60_000 });
  await page.waitForFunction((s) => document.getElementById('device-sequence')?.textContent === String(s), sequence);
  await page.waitForSelector('#live-readings tbody tr');
  if (history && pointsBefore > 0) {
    await page.waitForFunction((n) => Number(document.querySelector('.chart')?.getAttribute('data-points')) === n, pointsBefore + 1);
  }
  assert((await text('#live-readings')).includes(String(before.counter + 12)), 'the new counter is listed');
  assert(await page.evaluate(() => window.__sameDocument === true), 'the page was not reloaded');
  await shot('device');
});

await check('contract with charged, collected and splits', async () => {
  const contract = await rest('/contracts/1');
  await open('contract/1', '#contract');
  const facts = await text('#contract');
  assert(facts.includes(contract.charged) && facts.includes(contract.collected), 'charged/collected');
  const splits = await text('#splits');
  for (const k of ['paid_maintainer', 'paid_platform', 'paid_shareholders']) assert(splits.includes(contract[k]), k);
  await checkHistoryChart('section:has(h2:text("Payments over time"))', history, '/contracts/1/charges');
  await shot('contract');
});

await check('pools and pool with its price chart', async () => {
  const now = await rest(`/amm/pools/${pool.id}`);
  await open('pools', '#pools');
  assert((await text('#pools')).includes(now.reserve_b), 'pool reserves');
  await open(`pool/${pool.id}`, '#pool');
  assert((await text('#pool')).includes(now.price_a_in_b), 'pool price');
  await checkHistoryChart('section:has(h2:text("Price"))', history, `/pools/${pool.id}/swaps`);
  await shot('pool');
});

await check('certificates and retirements', async () => {
  const batches = (await rest('/certificates/batches')).batches;
  const retirements = (await rest('/certificates/retirements')).retirements;
  await open('certificates', '#retirements');
  for (const b of batches) assert((await text('#batches')).includes(b.project_id), `batch ${b.id}`);
  for (const r of retirements) assert((await text('#retirements')).includes(r.beneficiary), `retirement ${r.id}`);
  await shot('certificates');
});

await check('vaults and a vault', async () => {
  const vaults = (await rest('/credit/vaults')).vaults;
  await open('vaults', '#vaults');
  for (const v of vaults) assert((await text('#vaults')).includes(v.owner), `vault ${v.id}`);
  await open(`vault/${vaults[0].id}`, '#vault');
  const now = await rest(`/credit/vaults/${vaults[0].id}`);
  assert((await text('#vault')).includes(now.collateral), 'collateral');
  await shot('vault');
});

await check('search by address, hash, height and id', async () => {
  const search = async (q, ready) => {
    await page.fill('#search-input', q);
    await page.click('#search button');
    await page.waitForSelector(ready);
  };
  await open('', '#tiers');
  await search(asset.owner, '#account');
  await search(poolTx.hash.toLowerCase(), '#tx');
  await search(String(poolBlock.height), '#block');
  await search(`pool/${pool.id}`, '#pool');
  await search('asset 1', '#holders');
  await search(device.address, '#device');
  await search('no such thing', 'main .error');
  await shot('search-miss');
});

await check('no page threw in the browser and the CSP blocked nothing', async () => {
  assert(consoleErrors.length === 0, consoleErrors.join('\n'));
});

await browser.close();
console.log(`\n${results.length - failures} passed, ${failures} failed; screenshots in ${SHOTS}`);
process.exit(failures === 0 ? 0 : 1);
