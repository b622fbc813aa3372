// One render function per page. Each returns the page's element; live pages
// register a cleanup with `onLeave` that the router calls on navigation.
import { attr, find, get, history, subscribe, type Block, type ChainEvent, type Status, type Tx } from './api';
import { appendPoint, lineChart, noHistory, pieChart } from './chart';
import { account, el, facts, json, link, section, table, time, type Child } from './dom';
import { decodeTx } from './proto';

/** Cleanups of the current page (WebSocket listeners). */
export const leaving: (() => void)[] = [];
function onLeave(cleanup: () => void): void {
  leaving.push(cleanup);
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '—' : String(v));

function events(list: ChainEvent[]): HTMLElement {
  if (list.length === 0) return el('p', { class: 'note' }, 'no events');
  return el('div', { class: 'events' }, ...list.map((e) =>
    el('div', { class: 'event' }, el('h3', {}, e.kind),
      facts(e.attributes.map((a) => [a.key, a.value.startsWith('fx1') ? account(a.value) : a.value])))));
}

function blockRow(b: Block, previous?: Block): Child[] {
  const gap = previous ? `${b.header.time - previous.header.time} ms` : '—';
  return [link(`block/${b.height}`, b.height), time(b.header.time), b.tx_hashes.length, gap, account(b.header.proposer)];
}

async function recentBlocks(top: number, count: number): Promise<Block[]> {
  const heights: number[] = [];
  for (let h = top; h >= 1 && heights.length < count; h--) heights.push(h);
  const blocks = await Promise.all(heights.map((h) => find<Block>(`/blocks/${h}`)));
  return blocks.filter((b): b is Block => b !== null);
}

/** Dashboard: height, block time, tx/s, validators by tier, live blocks. */
export async function dashboard(): Promise<HTMLElement> {
  const status = await get<Status>('/status');
  const blocks = await recentBlocks(status.latest_height, 30);
  const oldest = blocks[blocks.length - 1];
  const span = oldest && blocks[0] !== oldest ? blocks[0].header.time - oldest.header.time : 0;
  const txs = blocks.slice(0, -1).reduce((a, b) => a + b.tx_hashes.length, 0);
  const blockTime = span > 0 ? span / (blocks.length - 1) : 0;
  const validators = await get<{ address: string; voting_power: number }[]>('/validators');
  const staking = (await find<{ operator: string; consensus_address: string; moniker: string; super_node: boolean }[]>('/staking/validators')) ?? [];
  // A validator's tier is its operator account's (identity module).
  const operators = validators.map((v) => staking.find((s) => s.consensus_address === v.address));
  const tiers = await Promise.all(validators.map(async (v, i) =>
    (await find<{ tier: string }>(`/identity/accounts/${operators[i]?.operator ?? v.address}`))?.tier ?? 'unknown'));
  const byTier = new Map<string, { count: number; power: bigint }>();
  validators.forEach((v, i) => {
    const t = byTier.get(tiers[i]) ?? { count: 0, power: 0n };
    byTier.set(tiers[i], { count: t.count + 1, power: t.power + BigInt(v.voting_power) });
  });
  const height = el('span', { id: 'height' }, status.latest_height);
  const rows = el('tbody', {}, ...blocks.slice(0, 15).map((b, i) =>
    el('tr', {}, ...blockRow(b, blocks[i + 1]).map((c) => el('td', {}, c)))));
  let last = blocks[0];
  onLeave(subscribe((e) => {
    if (e.type !== 'new_block') return;
    height.textContent = String(e.height);
    void Promise.all([find<Block>(`/blocks/${e.height}`),
      last?.height === e.height - 1 ? last : find<Block>(`/blocks/${e.height - 1}`)]).then(([b, previous]) => {
      if (!b) return;
      rows.prepend(el('tr', { class: 'new' }, ...blockRow(b, previous ?? undefined).map((c) => el('td', {}, c))));
      last = b;
      while (rows.children.length > 15) rows.lastElementChild?.remove();
    });
  }));
  const times = blocks.slice().reverse();
  return el('div', {},
    el('h1', {}, `Chain ${status.chain_id}`),
    el('div', { class: 'cards' },
      el('div', { class: 'card' }, el('h3', {}, 'Height'), height),
      el('div', { class: 'card' }, el('h3', {}, 'Block time'), el('span', { id: 'block-time' }, `${(blockTime / 1000).toFixed(2)} s`)),
      el('div', { class: 'card' }, el('h3', {}, 'Tx/s'), el('span', { id: 'tps' }, span > 0 ? (txs / (span / 1000)).toFixed(3) : '0')),
      el('div', { class: 'card' }, el('h3', {}, 'Validators'), el('span', { id: 'validator-count' }, validators.length))),
    section('Validators by tier', table(['tier', 'validators', 'voting power'],
      [...byTier.entries()].map(([t, v]) => [t, v.count, v.power.toString()]), 'tiers'),
      table(['validator', 'moniker', 'operator', 'tier', 'super node', 'voting power'], validators.map((v, i) =>
        [v.address, str(operators[i]?.moniker), account(operators[i]?.operator), tiers[i], operators[i]?.super_node ? 'yes' : 'no', v.voting_power]), 'validators')),
    section('Block times (recent blocks)',
      lineChart('ms between blocks', times.slice(1).map((b) => b.header.time),
        [{ label: 'block time (ms)', values: times.slice(1).map((b, i) => b.header.time - times[i].header.time) }])),
    section('Latest blocks', el('table', { class: 'list', id: 'latest-blocks' },
      el('thead', {}, el('tr', {}, ...['height', 'time', 'txs', 'since previous', 'proposer'].map((h) => el('th', {}, h)))), rows)));
}

/** Blocks, newest first, 25 a page (`#/blocks?from=H`). */
export async function blocks(params: URLSearchParams): Promise<HTMLElement> {
  const status = await get<Status>('/status');
  const from = Math.min(Number(params.get('from') ?? status.latest_height) || status.latest_height, status.latest_height);
  const list = await recentBlocks(from, 26);
  const older = from > 25 ? link(`blocks?from=${from - 25}`, 'older blocks →') : null;
  return el('div', {}, el('h1', {}, 'Blocks'),
    table(['height', 'time', 'txs', 'since previous', 'proposer'],
      list.slice(0, 25).map((b, i) => blockRow(b, list[i + 1])), 'blocks'), older);
}

/** One block: header, transactions, begin/end-block events. */
export async function block(height: string): Promise<HTMLElement> {
  const b = await get<Block>(`/blocks/${height}`);
  const txs = await Promise.all(b.tx_hashes.map((h) => find<Tx>(`/txs/${h}`)));
  return el('div', {}, el('h1', {}, `Block ${b.height}`),
    facts([['hash', b.hash], ['time', time(b.header.time)], ['proposer', account(b.header.proposer)],
      ['previous', b.height > 1 ? link(`block/${b.height - 1}`, b.header.prev_block_hash) : b.header.prev_block_hash],
      ['app hash after', b.app_hash_after], ['signers', str(b.certificate?.signers.length)]], 'block'),
    section(`Transactions (${b.tx_hashes.length})`, table(['hash', 'messages', 'result'],
      b.tx_hashes.map((h, i) => {
        const tx = txs[i];
        const kinds = tx ? decodeTx(tx.tx).messages.map((m) => m.kind).join(', ') : '';
        return [link(`tx/${h}`, h), kinds, tx ? (tx.code === 0 ? 'ok' : `${tx.codespace}#${tx.code}`) : '—'];
      }), 'block-txs')),
    section('Block events', events(b.events)));
}

/** One transaction: result, decoded body and messages, events. */
export async function tx(hash: string): Promise<HTMLElement> {
  const t = await get<Tx>(`/txs/${hash}`);
  const decoded = decodeTx(t.tx);
  const fee = decoded.body.fee as Obj | undefined;
  const feeAmount = fee?.amount as Obj | undefined;
  return el('div', {}, el('h1', {}, 'Transaction'),
    facts([['hash', t.hash], ['block', link(`block/${t.height}`, t.height)], ['index', t.index],
      ['result', t.code === 0 ? 'ok' : `failed: ${t.codespace}#${t.code} ${t.log}`],
      ['signer', account(t.events.find((e) => e.kind === 'tx.fee')?.attributes.find((a) => a.key === 'signer')?.value)],
      ['signer key', json(decoded.body.signer)], ['nonce', str(decoded.body.nonce)],
      ['fee', feeAmount ? `${str(feeAmount.amount)}${str(feeAmount.denom)}` : '—'],
      ['memo', str(decoded.body.memo || '—')], ['gas used / wanted', `${t.gas_used} / ${t.gas_wanted}`]], 'tx'),
    section(`Messages (${decoded.messages.length})`, ...decoded.messages.map((m) =>
      el('div', { class: 'message' }, el('h3', {}, m.kind), json(m.fields)))),
    section('Events', events(t.events)));
}

/** An account: balances, tier, assets it owns, its history. */
export async function accountPage(address: string): Promise<HTMLElement> {
  const a = await get<{ address: string; nonce: number; balances: { denom: string; amount: string }[]; public_key: Obj | null }>(`/accounts/${address}`);
  const identity = await find<{ tier: string; frozen: unknown; kyc_level: unknown }>(`/identity/accounts/${address}`);
  const owned = (await find<Obj[]>(`/assets/owner/${address}`)) ?? [];
  const txs = await history<{ hash: string; height: number; time_ms: number; kinds: string[]; code: number }>(`/txs?signer=${address}`, 50);
  const income = await history<{ time_ms: number; asset_id: number; kind: string; amount: string }>(`/accounts/${address}/income`, 50);
  return el('div', {}, el('h1', {}, 'Account'),
    facts([['address', a.address], ['tier', str(identity?.tier)], ['nonce', a.nonce],
      ['key', a.public_key ? `${str(a.public_key.algo)} ${str(a.public_key.key)}` : 'none yet (never signed)'],
      ['frozen', identity?.frozen ? 'yes' : 'no']], 'account'),
    section('Balances', table(['denom', 'amount'], a.balances.map((b) => [b.denom, b.amount]), 'balances')),
    section('Assets owned', table(['asset', 'serial', 'class', 'status'],
      owned.map((x) => [link(`asset/${str(x.id)}`, str(x.id)), str(x.serial), str(x.class_id), str(x.status)]))),
    section('Transactions', txs === null ? noHistory('Transactions of this account')
      : table(['hash', 'height', 'time', 'events', 'result'], txs.map((t) =>
        [link(`tx/${t.hash}`, t.hash), link(`block/${t.height}`, t.height), time(t.time_ms), t.kinds.join(', '), t.code === 0 ? 'ok' : `#${t.code}`]))),
    section('Income', income === null ? noHistory('Income of this account')
      : table(['time', 'asset', 'kind', 'amount'], income.map((i) => [time(i.time_ms), link(`asset/${i.asset_id}`, i.asset_id), i.kind, i.amount]))));
}

/** Asset classes and their assets. */
export async function assets(): Promise<HTMLElement> {
  const classes = await get<Obj[]>('/assets/classes');
  const rows: Child[][] = [];
  for (const c of classes) {
    const list = (await find<Obj[]>(`/assets/classes/${str(c.id)}/assets`)) ?? [];
    for (const a of list) {
      rows.push([link(`asset/${str(a.id)}`, str(a.id)), el('span', {}, str(a.serial)), el('span', {}, `${str(c.name)} (${str(c.manufacturer)} ${str(c.model)})`),
        el('span', {}, str(c.unit)), account(str(a.owner)), el('span', {}, a.fractionalized ? `${str((a.fractionalized as Obj).shares)} shares` : 'whole')]);
    }
  }
  return el('div', {}, el('h1', {}, 'Assets'),
    table(['asset', 'serial', 'class', 'unit', 'owner', 'shares'], rows, 'assets'));
}

/** Cumulative sums of decimal strings, as numbers for a chart. */
function cumulative(values: string[]): number[] {
  let total = 0;
  return values.map((v) => (total += Number(v)));
}

/** An asset: facts, owners pie, income, devices, contracts, income over time. */
export async function asset(id: string): Promise<HTMLElement> {
  const a = await get<Obj>(`/assets/${id}`);
  const holders = (await find<{ address: string; shares: string }[]>(`/assets/${id}/holders`)) ?? [];
  const income = (await find<Obj[]>(`/assets/${id}/income`)) ?? [];
  const devices = (await find<Obj[]>(`/devices/asset/${id}`)) ?? [];
  const contracts = (await find<Obj[]>(`/contracts/asset/${id}`)) ?? [];
  const usage = await history<{ time_ms: number; collected: string; units: string }>(`/assets/${id}/usage`);
  const points = (usage ?? []).slice().reverse();
  return el('div', {}, el('h1', {}, `Asset ${id}`),
    facts([['serial', str(a.serial)], ['class', str(a.class_id)], ['owner', account(str(a.owner))], ['status', str(a.status)],
      ['shares', a.fractionalized ? str((a.fractionalized as Obj).shares) : 'not fractionalized'], ['minted at height', str(a.minted_height)]], 'asset'),
    section('Owners', holders.length > 0
      ? pieChart('shares by holder', holders.map((h) => ({ label: h.address, value: BigInt(h.shares) })))
      : el('p', { class: 'note' }, 'not fractionalized: one owner'),
      table(['holder', 'shares'], holders.map((h) => [account(h.address), h.shares]), 'holders')),
    section('Income', table(['denom', 'credited to shares', 'claimed', 'paid to owner'],
      income.map((i) => [str(i.denom), str(i.credited_to_shares), str(i.claimed), str(i.paid_to_owner)]), 'income')),
    section('Income over time', usage === null ? noHistory('Income over time')
      : points.length === 0 ? el('p', { class: 'note' }, 'no metered income yet')
        : lineChart('collected from readings (cumulative)', points.map((p) => p.time_ms),
          [{ label: 'collected', values: cumulative(points.map((p) => p.collected)) }])),
    section('Devices', table(['device', 'serial', 'readings', 'counter', 'status'],
      devices.map((d) => [link(`device/${str(d.address)}`, str(d.address)), str(d.serial), str(d.readings), str(d.counter), str(d.status)]), 'devices')),
    section('Contracts', table(['contract', 'customer', 'charged', 'collected', 'status'],
      contracts.map((c) => [link(`contract/${str(c.id)}`, str(c.id)), account(str(c.customer)), str(c.charged), str(c.collected), str(c.status)]), 'contracts')));
}

/** A device: facts, usage chart (history), readings arriving live. */
export async function device(address: string): Promise<HTMLElement> {
  const d = await get<Obj>(`/devices/${address}`);
  const usage = await history<{ time_ms: number; units: string; sequence: number }>(`/devices/${address}/usage`);
  const points = (usage ?? []).slice().reverse();
  const fields = facts([['address', str(d.address)], ['asset', link(`asset/${str(d.asset_id)}`, str(d.asset_id))],
    ['serial', str(d.serial)], ['status', str(d.status)], ['key', `${str((d.key as Obj).algo)} ${str((d.key as Obj).key)}`],
    ['readings', el('span', { id: 'device-readings' }, str(d.readings))],
    ['last sequence', el('span', { id: 'device-sequence' }, str(d.last_sequence))],
    ['counter', el('span', { id: 'device-counter' }, str(d.counter))],
    ['last reading', el('span', { id: 'device-last-time' }, time(d.last_reading_ms as number))]], 'device');
  const live = el('tbody', {});
  const chart = usage === null ? noHistory('Usage over time')
    : lineChart('units per reading', points.map((p) => p.time_ms), [{ label: 'units', values: points.map((p) => Number(p.units)) }]);
  let lastSequence = Number(d.last_sequence);
  onLeave(subscribe((e) => {
    if (e.type !== 'tx_event' || e.event.kind !== 'metering.reading') return;
    if (attr(e.event, 'source') !== 'device' || attr(e.event, 'asset_id') !== String(d.asset_id)) return;
    void find<Obj>(`/devices/${address}`).then((now) => {
      if (!now || Number(now.last_sequence) === lastSequence) return;
      lastSequence = Number(now.last_sequence);
      for (const [id, key] of [['device-readings', 'readings'], ['device-sequence', 'last_sequence'], ['device-counter', 'counter']]) {
        const node = document.getElementById(id);
        if (node) node.textContent = str(now[key]);
      }
      appendPoint(chart, Number(now.last_reading_ms), [Number(attr(e.event, 'units') ?? 0)]);
      const lastTime = document.getElementById('device-last-time');
      if (lastTime) lastTime.textContent = time(now.last_reading_ms as number);
      live.prepend(el('tr', { class: 'new' }, el('td', {}, link(`block/${e.height}`, e.height)),
        el('td', {}, link(`tx/${e.tx_hash}`, e.tx_hash.slice(0, 16))), el('td', {}, str(attr(e.event, 'sequence'))),
        el('td', {}, str(attr(e.event, 'counter'))), el('td', {}, str(attr(e.event, 'units'))), el('td', {}, str(attr(e.event, 'charged')))));
    });
  }));
  return el('div', {}, el('h1', {}, 'Device'), fields,
    section('Usage', chart),
    section('Live readings (arrive without reload)', el('table', { class: 'list', id: 'live-readings' },
      el('thead', {}, el('tr', {}, ...['height', 'tx', 'sequence', 'counter', 'units', 'charged'].map((h) => el('th', {}, h)))), live)));
}

/** A service contract: terms, charged/collected, how payments were split. */
export async function contract(id: string): Promise<HTMLElement> {
  const c = await get<Obj>(`/contracts/${id}`);
  const terms = c.terms as Obj;
  const price = terms.price as Obj;
  const charges = await history<{ time_ms: number; maintainer: string; platform: string; shareholders: string; sla_penalty: string }>(`/contracts/${id}/charges`);
  const points = (charges ?? []).slice().reverse();
  const splits = [
    { label: 'maintainer', value: BigInt(str(c.paid_maintainer)) },
    { label: 'platform', value: BigInt(str(c.paid_platform)) },
    { label: 'shareholders', value: BigInt(str(c.paid_shareholders)) },
  ];
  return el('div', {}, el('h1', {}, `Contract ${id}`),
    facts([['asset', link(`asset/${str(c.asset_id)}`, str(c.asset_id))], ['provider', account(str(c.provider))],
      ['customer', account(str(c.customer))], ['status', str(c.status)],
      ['tariff', `${str(price.amount)}${str(price.denom)} per ${str(terms.per_units)} units`],
      ['billing', str((terms.billing as Obj).mode)], ['maintainer', account(str(terms.maintainer))],
      ['splits', `maintainer ${str(terms.maintainer_bps)} bps, platform ${str(terms.platform_bps)} bps, rest to shareholders`],
      ['units', str(c.units)], ['charged', str(c.charged)], ['collected', str(c.collected)], ['owed', str(c.owed)]], 'contract'),
    section('Splits paid', pieChart(`paid out of ${str(c.collected)}${str(price.denom)} collected`, splits),
      table(['to', 'amount'], splits.map((s) => [s.label, s.value.toString()]), 'splits')),
    section('Payments over time', charges === null ? noHistory('Payments over time')
      : points.length === 0 ? el('p', { class: 'note' }, 'no payments yet')
        : lineChart('split of each payment (cumulative)', points.map((p) => p.time_ms), [
          { label: 'maintainer', values: cumulative(points.map((p) => p.maintainer)) },
          { label: 'platform', values: cumulative(points.map((p) => p.platform)) },
          { label: 'shareholders', values: cumulative(points.map((p) => p.shareholders)) }])));
}

/** AMM pools. */
export async function pools(): Promise<HTMLElement> {
  const page = await get<{ pools: Obj[] }>('/amm/pools');
  return el('div', {}, el('h1', {}, 'Pools'), table(['pool', 'pair', 'reserves', 'price', 'fee'],
    page.pools.map((p) => [link(`pool/${str(p.id)}`, str(p.id)), `${str(p.denom_a)} / ${str(p.denom_b)}`,
      `${str(p.reserve_a)} / ${str(p.reserve_b)}`, `${str(p.price_a_in_b)} ${str(p.denom_b)} per ${str(p.denom_a)}`, `${str(p.fee_bps)} bps`]), 'pools'));
}

/** A pool: reserves, price, price chart from its swaps. */
export async function pool(id: string): Promise<HTMLElement> {
  const p = await get<Obj>(`/amm/pools/${id}`);
  const swaps = await history<{ time_ms: number; price: string; trader: string; amount_in: string; denom_in: string; amount_out: string; denom_out: string; height: number }>(`/pools/${id}/swaps`);
  const points = (swaps ?? []).slice().reverse();
  return el('div', {}, el('h1', {}, `Pool ${id}`),
    facts([['pair', `${str(p.denom_a)} / ${str(p.denom_b)}`], ['reserves', `${str(p.reserve_a)}${str(p.denom_a)} / ${str(p.reserve_b)}${str(p.denom_b)}`],
      ['price', `${str(p.price_a_in_b)} ${str(p.denom_b)} per ${str(p.denom_a)}`], ['liquidity', `${str(p.liquidity)} ${str(p.lp_denom)}`],
      ['fee', `${str(p.fee_bps)} bps`], ['creator', account(str(p.creator))]], 'pool'),
    section('Price', swaps === null ? noHistory('Price over time')
      : points.length === 0 ? el('p', { class: 'note' }, 'no swaps yet')
        : lineChart(`${str(p.denom_b)} per ${str(p.denom_a)} after each swap`, points.map((s) => s.time_ms), [{ label: 'price', values: points.map((s) => Number(s.price)) }])),
    swaps === null ? null : section('Swaps', table(['height', 'trader', 'in', 'out', 'price'],
      (swaps ?? []).map((s) => [link(`block/${s.height}`, s.height), account(s.trader), `${s.amount_in}${s.denom_in}`, `${s.amount_out}${s.denom_out}`, s.price]))));
}

/** Certificate batches and retirements. */
export async function certificates(): Promise<HTMLElement> {
  const batches = await get<{ batches: Obj[] }>('/certificates/batches');
  const retirements = await get<{ retirements: Obj[] }>('/certificates/retirements');
  return el('div', {}, el('h1', {}, 'Certificates'),
    section('Batches', table(['batch', 'kind', 'project', 'denom', 'issued', 'tradable', 'retired', 'issuer'],
      batches.batches.map((b) => [str(b.id), str(b.kind), str(b.project_id), str(b.denom), str(b.issued), str(b.tradable), str(b.retired), account(str(b.issuer))]), 'batches')),
    section('Retirements', table(['retirement', 'batch', 'amount', 'serials', 'beneficiary', 'reason', 'holder', 'height'],
      retirements.retirements.map((r) => [str(r.id), str(r.batch_id), str(r.amount), `${str(r.serial_first)}–${str(r.serial_last)}`,
        str(r.beneficiary), str(r.reason), account(str(r.holder)), link(`block/${str(r.height)}`, str(r.height))]), 'retirements')));
}

/** Credit vaults. */
export async function vaults(): Promise<HTMLElement> {
  const page = await get<{ vaults: Obj[] }>('/credit/vaults');
  return el('div', {}, el('h1', {}, 'Vaults'), table(['vault', 'owner', 'collateral', 'debt', 'ratio', 'required', 'liquidatable'],
    page.vaults.map((v) => [link(`vault/${str(v.id)}`, str(v.id)), account(str(v.owner)), `${str(v.collateral)}${str(v.denom)}`, str(v.debt),
      `${(Number(v.ratio_bps) / 100).toFixed(2)} %`, `${(Number(v.required_ratio_bps) / 100).toFixed(2)} %`, v.liquidatable ? 'yes' : 'no']), 'vaults'));
}

/** One vault. */
export async function vault(id: string): Promise<HTMLElement> {
  const v = await get<Obj>(`/credit/vaults/${id}`);
  return el('div', {}, el('h1', {}, `Vault ${id}`),
    facts([['owner', account(str(v.owner))], ['collateral', `${str(v.collateral)}${str(v.denom)}`], ['value', str(v.value)],
      ['debt', str(v.debt)], ['ratio', `${(Number(v.ratio_bps) / 100).toFixed(2)} %`],
      ['required ratio', `${(Number(v.required_ratio_bps) / 100).toFixed(2)} %`], ['liquidatable', v.liquidatable ? 'yes' : 'no'],
      ['price', str(v.price)]], 'vault'));
}
