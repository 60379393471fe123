// Juspay's official Node SDK (expresscheckout-nodejs 1.0.0), `juspay.customer.get()`, measured
// the way juspay-bench measures the Rust clients: one JSON object on stdout.
//
//   node sdk-bench.mjs lookup --base-url https://127.0.0.1 --api-key K --merchant-id M \
//        --customer-id ID --concurrency C --warmup-ms W --duration-ms D [--plain-http-shim]
//   node sdk-bench.mjs cold   --base-url ... (import, construct, one lookup)
//
// Read before running it (see BENCHMARKS.md):
// - Its default logger writes every request and whole response (email and mobile number
//   included) to ./logs/juspay-sdk.log, and to the console unless NODE_ENV is set. We install
//   the SDK's own silent logger before constructing it, set NODE_ENV=production, and refuse to
//   run if a logs/ folder appears.
// - It reads ./package.json at import time (run it from this folder).
// - It cannot take a port in the base URL (it passes host:port as the host name) and speaks TLS
//   to http:// URLs too (it compares the protocol with 'http' instead of 'http:'). So it talks
//   to https://127.0.0.1 (port 443), a TLS front that relays to the emulator, trusting a
//   throwaway CA via NODE_EXTRA_CA_CERTS. `--plain-http-shim` instead patches Node's https.request
//   for this process only: it splits host and port and speaks plain HTTP to the emulator (the
//   SDK's own bug fixed), to show what the SDK costs without TLS.
// - It builds a new https.Agent for every call, so every lookup opens a new connection (and a
//   new TLS session). That is the SDK as shipped: customer.get() takes no agent.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

function parseArgs(argv) {
  const [mode, ...rest] = argv;
  const args = { mode, concurrency: 1, warmupMs: 1000, durationMs: 3000, plainHttpShim: false };
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (key === 'plainHttpShim') {
      args.plainHttpShim = true;
      continue;
    }
    const value = rest[++i];
    args[key] = ['concurrency', 'warmupMs', 'durationMs'].includes(key) ? Number(value) : value;
  }
  for (const required of ['baseUrl', 'apiKey', 'merchantId', 'customerId']) {
    if (!args[required]) throw new Error(`--${required} is required`);
  }
  return args;
}

/** Plain HTTP with host and port split, for this process only (see above). */
async function installPlainHttpShim() {
  const { createRequire, syncBuiltinESMExports } = await import('node:module');
  const require = createRequire(import.meta.url);
  const http = require('node:http');
  const https = require('node:https');
  https.request = (options, callback) => {
    const [host, port] = String(options.host).split(':');
    // One agent per call, as the SDK does with its https.Agent.
    const req = http.request(
      { ...options, host, port: port || options.port || 80, agent: new http.Agent({ keepAlive: true }) },
      callback,
    );
    // The SDK writes the request on 'secureConnect' (it believes it speaks TLS).
    req.once('socket', (socket) => socket.once('connect', () => socket.emit('secureConnect')));
    return req;
  };
  syncBuiltinESMExports();
}

async function loadSdk(args) {
  process.env.NODE_ENV ??= 'production';
  if (args.plainHttpShim) await installPlainHttpShim();
  const { default: Juspay } = await import('expresscheckout-nodejs');
  // The SDK asks Juspay.customLogger for every logger it makes (two per lookup); the silent one
  // logs nothing. It must be set before the constructor builds the resources.
  Juspay.customLogger = Juspay.silentLogger;
  return Juspay;
}

function newClient(Juspay, args) {
  return new Juspay({ apiKey: args.apiKey, merchantId: args.merchantId, baseUrl: args.baseUrl });
}

async function lookupOnce(juspay, customerId) {
  const customer = await juspay.customer.get(customerId);
  if (customer.id !== customerId) throw new Error(`wrong customer ${customer.id}`);
}

async function phase(juspay, args, durationMs, record) {
  const started = process.hrtime.bigint();
  const end = started + BigInt(Math.round(durationMs * 1e6));
  const samples = [];
  let errors = 0;
  let firstError = null;
  const worker = async () => {
    while (process.hrtime.bigint() < end) {
      const t0 = process.hrtime.bigint();
      try {
        await lookupOnce(juspay, args.customerId);
      } catch (e) {
        errors++;
        firstError ??= String(e?.message ?? e).slice(0, 300);
      }
      if (record) samples.push(Number(process.hrtime.bigint() - t0));
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  return { samples, errors, firstError, elapsedNs: Number(process.hrtime.bigint() - started) };
}

/** The same reduction as juspay-bench (nearest-rank percentiles, microseconds). */
function summarise(samples, elapsedNs) {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  const rank = (p) => (n === 0 ? 0 : sorted[Math.min(n, Math.max(1, Math.ceil(p * n))) - 1] / 1000);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: n,
    seconds: elapsedNs / 1e9,
    rps: n / (elapsedNs / 1e9),
    p50_us: rank(0.5),
    p90_us: rank(0.9),
    p99_us: rank(0.99),
    max_us: n ? sorted[n - 1] / 1000 : 0,
    mean_us: n ? sum / n / 1000 : 0,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const client = args.plainHttpShim ? 'node-sdk-plain' : 'node-sdk';
  let output;
  if (args.mode === 'cold') {
    const t0 = performance.now();
    const Juspay = await loadSdk(args);
    const loaded = performance.now();
    const juspay = newClient(Juspay, args);
    const built = performance.now();
    await lookupOnce(juspay, args.customerId);
    const answered = performance.now();
    output = {
      client,
      process_to_main_us: t0 * 1000,
      import_us: (loaded - t0) * 1000,
      construct_us: (built - loaded) * 1000,
      first_lookup_us: (answered - built) * 1000,
      main_to_answer_us: (answered - t0) * 1000,
      process_to_answer_us: answered * 1000,
    };
  } else if (args.mode === 'lookup') {
    const Juspay = await loadSdk(args);
    const juspay = newClient(Juspay, args);
    await lookupOnce(juspay, args.customerId);
    await phase(juspay, args, args.warmupMs, false);
    const cpuBefore = process.cpuUsage();
    const measured = await phase(juspay, args, args.durationMs, true);
    const cpu = process.cpuUsage(cpuBefore);
    output = {
      client,
      concurrency: args.concurrency,
      cpu_us_per_lookup: (cpu.user + cpu.system) / Math.max(1, measured.samples.length),
      errors: measured.errors,
      first_error: measured.firstError,
      summary: summarise(measured.samples, measured.elapsedNs),
    };
  } else {
    throw new Error(`unknown mode ${args.mode}: lookup or cold`);
  }
  if (existsSync('logs')) throw new Error('the SDK wrote a logs/ folder: its logger was not silenced');
  console.log(JSON.stringify(output));
}

main().then(
  () => process.exit(0), // the SDK's keep-alive agents would hold the process open
  (e) => {
    console.error(e?.stack ?? String(e));
    process.exit(1);
  },
);
