// The explorer's entry point: a hash router (`#/block/12`), the search box
// and the page frame. Pages are in pages.ts.
import './style.css';
import { ApiError, find } from './api';
import { el } from './dom';
import * as pages from './pages';

type Route = (arg: string, params: URLSearchParams) => Promise<HTMLElement>;

const ROUTES: Record<string, Route> = {
  '': () => pages.dashboard(),
  blocks: (_, params) => pages.blocks(params),
  block: (h) => pages.block(h),
  tx: (hash) => pages.tx(hash),
  account: (a) => pages.accountPage(a),
  assets: () => pages.assets(),
  asset: (id) => pages.asset(id),
  device: (a) => pages.device(a),
  contract: (id) => pages.contract(id),
  pools: () => pages.pools(),
  pool: (id) => pages.pool(id),
  certificates: () => pages.certificates(),
  vaults: () => pages.vaults(),
  vault: (id) => pages.vault(id),
};

let rendering = 0;

async function render(): Promise<void> {
  const ticket = ++rendering;
  while (pages.leaving.length > 0) pages.leaving.pop()?.();
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [name, ...rest] = path.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  const app = document.getElementById('app');
  if (!app) return;
  app.replaceChildren(el('p', { class: 'loading' }, 'loading…'));
  const route = ROUTES[name];
  let page: HTMLElement;
  try {
    page = route
      ? await route(arg, new URLSearchParams(query))
      : el('p', { class: 'error' }, `no page ${name}`);
  } catch (e) {
    const message = e instanceof ApiError && e.status === 404
      ? `not found: ${e.message}`
      : `could not load this page: ${e instanceof Error ? e.message : String(e)}`;
    page = el('p', { class: 'error' }, message);
  }
  if (ticket !== rendering) return;
  app.replaceChildren(page);
  app.setAttribute('data-page', name || 'dashboard');
}

/** Where a search goes: an address, a tx hash, a height or `kind/id`. */
async function searchRoute(raw: string): Promise<string | null> {
  const q = raw.trim();
  if (/^fx1[02-9ac-hj-np-z]{38}$/.test(q)) {
    return (await find(`/devices/${q}`)) ? `device/${q}` : `account/${q}`;
  }
  if (/^[0-9a-fA-F]{64}$/.test(q)) return `tx/${q.toUpperCase()}`;
  if (/^\d+$/.test(q)) return `block/${q}`;
  const m = /^(asset|pool|contract|vault|block|tx|device|account)[\s/#:]+(\S+)$/i.exec(q);
  return m ? `${m[1].toLowerCase()}/${m[2]}` : null;
}

document.getElementById('search')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('search-input') as HTMLInputElement;
  void searchRoute(input.value).then((route) => {
    if (route) location.hash = `#/${route}`;
    else document.getElementById('app')?.replaceChildren(el('p', { class: 'error' },
      `nothing to search for in ${JSON.stringify(input.value)}: try an address fx1…, a transaction hash, a block height, or asset/ID, pool/ID, contract/ID, vault/ID`));
  });
});

window.addEventListener('hashchange', () => void render());
void render();
