// Builds the explorer into dist/ for the node to embed (crates/rpc/build.rs)
// and serve at /explorer/. The wire schema (../../proto) is read at build
// time into the virtual module `virtual:proto-schema`, so the explorer
// decodes transactions with the same field names the chain uses.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

interface Field { name: string; type: string; repeated: boolean }
type Schema = Record<string, Record<number, Field>>;

function protoFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return protoFiles(path);
    return name.endsWith('.proto') ? [path] : [];
  });
}

/** Message name (package-qualified) → field number → field. */
function parseProto(root: string): Schema {
  const schema: Schema = {};
  for (const file of protoFiles(root)) {
    const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
    const pkg = /package\s+([\w.]+)\s*;/.exec(text)?.[1] ?? '';
    const message = /message\s+(\w+)\s*\{/g;
    let m: RegExpExecArray | null;
    while ((m = message.exec(text))) {
      let depth = 1;
      let i = message.lastIndex;
      while (depth > 0 && i < text.length) {
        if (text[i] === '{') depth += 1;
        if (text[i] === '}') depth -= 1;
        i += 1;
      }
      const body = text.slice(message.lastIndex, i - 1);
      const fields: Record<number, Field> = {};
      const field = /(repeated\s+)?([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;/g;
      let f: RegExpExecArray | null;
      while ((f = field.exec(body))) {
        const type = f[2].includes('.') || /^[a-z]/.test(f[2]) ? f[2] : `${pkg}.${f[2]}`;
        fields[Number(f[4])] = { name: f[3], type, repeated: Boolean(f[1]) };
      }
      schema[`${pkg}.${m[1]}`] = fields;
    }
  }
  return schema;
}

function protoSchema(): Plugin {
  const id = 'virtual:proto-schema';
  const root = fileURLToPath(new URL('../../proto', import.meta.url));
  return {
    name: 'fructus-proto-schema',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(loaded) {
      if (loaded !== `\0${id}`) return undefined;
      for (const file of protoFiles(root)) this.addWatchFile(file);
      return `export default ${JSON.stringify(parseProto(root))};`;
    },
  };
}

// `FRUCTUS_API=http://127.0.0.1:1317 npm run dev`: develop against a running
// node (its /v1 routes and WebSocket are proxied).
const api = process.env.FRUCTUS_API;
const proxy = api ? { '/v1': { target: api, ws: true } } : undefined;

export default defineConfig({
  base: '/explorer/',
  plugins: [protoSchema()],
  server: { proxy },
  preview: { proxy },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
});
