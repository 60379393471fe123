// Runs every measurement of the benchmark suite and writes target/bench/run/results.json.
// benchmarks/run.sh builds and installs what this needs first; report.mjs turns the results into
// BENCHMARKS.md. Plain Node, no dependencies.
//
// Knobs (environment): BENCH_REPS (5), BENCH_AUX_REPS (3), BENCH_WARMUP_MS (500),
// BENCH_DURATION_MS (2000), BENCH_WRK_SECONDS (5), BENCH_COLD_RUNS (10), BENCH_RSS_LOOKUPS
// (100000), BENCH_JVM_ROUNDS (5), BENCH_ONLY (comma list of steps:
// size,latency,interleaved,hop,jvm,swift,cold,rss,bundle).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bench = join(root, 'target/bench');
const release = join(bench, 'release');
const work = join(bench, 'run');
mkdirSync(work, { recursive: true });

const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);
const cfg = {
  reps: num('BENCH_REPS', 5),
  auxReps: num('BENCH_AUX_REPS', 3),
  warmupMs: num('BENCH_WARMUP_MS', 500),
  durationMs: num('BENCH_DURATION_MS', 2000),
  wrkSeconds: num('BENCH_WRK_SECONDS', 5),
  coldRuns: num('BENCH_COLD_RUNS', 10),
  rssLookups: num('BENCH_RSS_LOOKUPS', 100000),
  jvmRounds: num('BENCH_JVM_ROUNDS', 5),
  concurrencies: [1, 16, 64],
  only: process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null,
};
const wanted = (step) => !cfg.only || cfg.only.includes(step);

// The emulator's credentials for this run, and the customer every client looks up (a demo
// customer, by Juspay id).
const API_KEY = 'bench_' + randomBytes(8).toString('hex');
const MERCHANT = 'bench_merchant';
const CUSTOMER = 'cst_7hq2m9xk4v1p8zta';

const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---------------------------------------------------------------------------------------------
// Processes

function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    execFile(cmd, args, { maxBuffer: 64 << 20, ...opts }, (error, stdout, stderr) => {
      const wallUs = Number(process.hrtime.bigint() - started) / 1000;
      if (error) {
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-2000)}`));
      } else {
        resolvePromise({ stdout, stderr, wallUs });
      }
    });
  });
}

async function runJson(cmd, args, opts) {
  const { stdout, wallUs } = await run(cmd, args, opts);
  const line = stdout.trim().split('\n').pop();
  try {
    return { ...JSON.parse(line), wall_us: wallUs };
  } catch {
    throw new Error(`${cmd}: expected JSON, got ${line}`);
  }
}

const children = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts a server and resolves once a line matching `ready` appears on `stream`. */
function startServer(name, cmd, args, { ready, stream = 'stdout', env, logFile } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let seen = '';
    let done = false;
    const timer = setTimeout(() => fail(new Error(`${name}: no ready line in 60 s:\n${seen}`)), 60000);
    const fail = (e) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        reject(e);
      }
    };
    const watch = (data) => {
      if (done) return;
      seen += data;
      const m = seen.match(ready);
      if (m) {
        done = true;
        clearTimeout(timer);
        resolvePromise({ child, match: m });
      }
    };
    child[stream].on('data', watch);
    // Servers that log a line per request must never block on a full pipe.
    const other = stream === 'stdout' ? 'stderr' : 'stdout';
    child[other].on('data', (d) => {
      if (logFile) writeFileSync(logFile, d, { flag: 'a' });
    });
    child.on('exit', (code) => fail(new Error(`${name} exited with ${code}:\n${seen}`)));
    // A binary that cannot start (not built, say) fails this server's step, not the whole run.
    child.on('error', (e) => fail(new Error(`${name}: ${cmd} did not start: ${e.message}`)));
  });
}

// ---------------------------------------------------------------------------------------------
// Machine and load

function sh(cmd) {
  return new Promise((r) => execFile('bash', ['-c', cmd], (e, out) => r(e ? '' : out.trim())));
}

async function machine() {
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  return {
    cpu: cpuModel,
    cores: cpus().length,
    ram_gib: +(totalmem() / 2 ** 30).toFixed(1),
    free_gib_at_start: +(freemem() / 2 ** 30).toFixed(1),
    kernel: await sh('uname -sr'),
    os: await sh(". /etc/os-release && echo \"$PRETTY_NAME\""),
    rustc: await sh('rustc --version'),
    node: process.version,
    java: await sh("java -version 2>&1 | head -1"),
    maven: (await sh('mvn -B --version 2>/dev/null | head -1')).replace(/\x1b\[[0-9;]*m/g, ''),
    wrk: await sh("wrk -v 2>&1 | head -1 | cut -d' ' -f1-2"),
    virtualization: await sh('systemd-detect-virt 2>/dev/null || true'),
  };
}

const loadSamples = [];
function sampleLoad(step) {
  const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  loadSamples.push({ t: new Date().toISOString(), step, one, five, fifteen });
}

// ---------------------------------------------------------------------------------------------
// Steps

const juspayBench = join(release, 'juspay-bench');
const target = (baseUrl) => [
  '--base-url', baseUrl, '--api-key', API_KEY, '--merchant-id', MERCHANT, '--customer-id', CUSTOMER,
];
const nodeDir = join(root, 'benchmarks/node');

function tlsMaterial() {
  // A throwaway CA and a leaf for 127.0.0.1 / 127.0.0.2, made fresh every run, never committed.
  const dir = join(work, 'tls');
  mkdirSync(dir, { recursive: true });
  return sh(
    [
      `cd ${dir}`,
      'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=juspay-bench throwaway CA" -keyout ca.key -out ca.pem 2>/dev/null',
      'openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" -keyout leaf.key -out leaf.csr 2>/dev/null',
      'printf "subjectAltName=IP:127.0.0.1,IP:127.0.0.2\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n" > leaf.ext',
      'openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out leaf.pem 2>/dev/null',
      'openssl pkcs8 -topk8 -nocrypt -in leaf.key -out leaf.pk8.pem',
      'echo ok',
    ].join(' && '),
  ).then((ok) => {
    if (ok !== 'ok') throw new Error('openssl could not make the throwaway certificates');
    return { ca: join(dir, 'ca.pem'), cert: join(dir, 'leaf.pem'), key: join(dir, 'leaf.pk8.pem') };
  });
}

/** The TLS front the Node SDK needs: 127.0.0.1:443 (or 127.0.0.2:443 when taken). */
async function startTlsFront(emulatorAddr, tls) {
  let lastError;
  for (const host of ['127.0.0.1', '127.0.0.2']) {
    try {
      const { child } = await startServer(
        'tls-front',
        juspayBench,
        ['tls-front', '--listen', `${host}:443`, '--upstream', emulatorAddr, '--cert', tls.cert, '--key', tls.key],
        { ready: /listening on https:\/\/\S+/, stream: 'stderr' },
      );
      return { child, baseUrl: `https://${host}` };
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

function clientCommand(client, conc, urls, tls) {
  const timing = [
    '--concurrency', String(conc), '--warmup-ms', String(cfg.warmupMs), '--duration-ms', String(cfg.durationMs),
  ];
  switch (client) {
    case 'core':
      return [juspayBench, ['lookup', '--client', 'core', ...target(urls.plain), ...timing]];
    case 'floor':
      return [juspayBench, ['lookup', '--client', 'floor', ...target(urls.plain), ...timing]];
    case 'floor-tls':
      return [juspayBench, ['lookup', '--client', 'floor', ...target(urls.tls), '--ca-cert', tls.ca, ...timing]];
    case 'floor-tls-fresh':
      return [
        juspayBench,
        ['lookup', '--client', 'floor', ...target(urls.tls), '--ca-cert', tls.ca, '--no-pool', ...timing],
      ];
    case 'node-sdk':
      return ['node', [join(nodeDir, 'sdk-bench.mjs'), 'lookup', ...target(urls.tls), ...timing]];
    case 'node-sdk-plain':
      return ['node', [join(nodeDir, 'sdk-bench.mjs'), 'lookup', ...target(urls.plain), '--plain-http-shim', ...timing]];
    default:
      throw new Error(client);
  }
}

/** Core and floor interleaved in one process, per repetition and concurrency. */
async function interleaved(urls) {
  const cells = [];
  for (let rep = 0; rep < cfg.reps; rep++) {
    for (const conc of cfg.concurrencies) {
      sampleLoad(`ab c=${conc}`);
      const r = await runJson(juspayBench, ['ab', ...target(urls.plain), '--concurrency', String(conc)]);
      r.rep = rep;
      cells.push(r);
      const ratio = r.core.summary.p50_us / r.floor.summary.p50_us;
      log(`rep ${rep + 1}/${cfg.reps} c=${conc} interleaved core ÷ floor p50 ${ratio.toFixed(3)}, CPU per lookup ${r.core.cpu_us_per_lookup.toFixed(1)} / ${r.floor.cpu_us_per_lookup.toFixed(1)} µs`);
    }
  }
  return cells;
}

async function latencyMatrix(urls, tls) {
  const main = urls.tls ? ['core', 'floor', 'node-sdk'] : ['core', 'floor'];
  const aux = urls.tls ? ['floor-tls', 'floor-tls-fresh', 'node-sdk-plain'] : ['node-sdk-plain'];
  const cells = [];
  const nodeEnv = { ...process.env, NODE_EXTRA_CA_CERTS: tls?.ca ?? '', NODE_ENV: 'production' };
  for (let rep = 0; rep < cfg.reps; rep++) {
    for (const conc of cfg.concurrencies) {
      const clients = rep < cfg.auxReps ? [...main, ...aux] : main;
      // Rotate the order every repetition so no client always follows the same one.
      const shift = (rep + cfg.concurrencies.indexOf(conc)) % clients.length;
      const order = [...clients.slice(shift), ...clients.slice(0, shift)];
      for (const client of order) {
        const [cmd, args] = clientCommand(client, conc, urls, tls);
        sampleLoad(`latency ${client} c=${conc}`);
        const result = await runJson(cmd, args, { cwd: nodeDir, env: nodeEnv });
        result.client = client;
        result.rep = rep;
        cells.push(result);
        const s = result.summary;
        log(
          `rep ${rep + 1}/${cfg.reps} c=${conc} ${client.padEnd(15)} p50 ${s.p50_us.toFixed(0)} µs  p99 ${s.p99_us.toFixed(0)} µs  ${s.rps.toFixed(0)}/s` +
            (result.errors ? `  ERRORS ${result.errors}: ${result.first_error}` : ''),
        );
      }
    }
  }
  return cells;
}

function parseWrk(out) {
  const unit = { us: 1, ms: 1000, s: 1e6 };
  const dur = (text) => {
    const m = text.match(/^([\d.]+)(us|ms|s)$/);
    return m ? Number(m[1]) * unit[m[2]] : NaN;
  };
  const pct = (p) => {
    const m = out.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm'));
    return m ? dur(m[1]) : NaN;
  };
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const requests = Number(out.match(/(\d+) requests in/)?.[1]);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = out.match(/Socket errors: (.*)/)?.[1] ?? null;
  return { p50_us: pct(50), p75_us: pct(75), p90_us: pct(90), p99_us: pct(99), rps, requests, non2xx, socket_errors: socketErrors };
}

/** CPU time (user + system) a process has used so far, in microseconds. */
function cpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
}
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

async function backendHop(emulatorUrl, emulatorPid) {
  const backendLog = join(work, 'backend.log');
  writeFileSync(backendLog, '');
  const { child, match } = await startServer(
    'merchant-backend',
    join(release, 'merchant-backend'),
    ['--listen', '127.0.0.1:0', '--stop-on-stdin-eof'],
    {
      ready: /listening on (http:\/\/\S+)/,
      env: {
        JUSPAY_API_KEY: API_KEY,
        JUSPAY_MERCHANT_ID: MERCHANT,
        JUSPAY_BASE_URL: emulatorUrl,
        TOKEN_SECRET: randomBytes(32).toString('hex'),
        TOKEN_TTL: '1h',
        DEMO_SIGN_IN: 'true',
        // One token drives the whole load: the per-customer rate limit would answer most of
        // it with 429. The hop measures the backend's cost, not its limiter.
        LOOKUP_RATE_LIMIT: 'off',
        // Every request here is the same customer: shared Juspay calls would hide the cost of a
        // request. One call per lookup, as with many customers.
        UPSTREAM_COALESCE: 'false',
        // The default (info): one access-log line per request, as deployed.
        RUST_LOG: 'info',
      },
    },
  );
  // The access log goes to a pipe that we drain and drop (not to the run's files: 10k lines/s).
  child.stderr.removeAllListeners('data');
  child.stderr.on('data', () => {});
  const backendUrl = match[1];
  const signIn = await fetch(`${backendUrl}/auth/device-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: CUSTOMER }),
  });
  if (!signIn.ok) throw new Error(`device token: HTTP ${signIn.status} ${await signIn.text()}`);
  const { token } = await signIn.json();
  const check = await fetch(`${backendUrl}/customers/${CUSTOMER}`, { headers: { authorization: `Bearer ${token}` } });
  if (!check.ok) throw new Error(`backend lookup: HTTP ${check.status}`);

  // The proxy floor: the least a backend on the same stack can do (juspay-bench proxy-floor:
  // axum, reqwest to the emulator, nothing else), loaded in the open loop beside the backend.
  const floor = await startServer(
    'proxy-floor',
    juspayBench,
    ['proxy-floor', '--listen', '127.0.0.1:0', '--base-url', emulatorUrl, '--api-key', API_KEY, '--merchant-id', MERCHANT],
    { ready: /listening on (http:\/\/\S+)/, stream: 'stderr' },
  );
  const floorUrl = floor.match[1];

  const basic = Buffer.from(`${API_KEY}:`).toString('base64');
  const paths = {
    direct: {
      url: `${emulatorUrl}/customers/${CUSTOMER}`,
      headers: [
        `Authorization: Basic ${basic}`, `x-merchantid: ${MERCHANT}`, `x-routing-id: ${CUSTOMER}`,
        'version: 2019-05-07', 'Content-Type: application/x-www-form-urlencoded', 'Accept: application/json',
      ],
    },
    backend: {
      url: `${backendUrl}/customers/${CUSTOMER}`,
      headers: [`Authorization: Bearer ${token}`, 'Accept: application/json'],
    },
    floor: {
      url: `${floorUrl}/customers/${CUSTOMER}`,
      headers: ['Accept: application/json'],
    },
  };
  const wrk = (path, conc, seconds) =>
    run('wrk', [
      `-t${Math.min(2, conc)}`, `-c${conc}`, `-d${seconds}s`, '--latency', '--timeout', '5s',
      ...paths[path].headers.flatMap((h) => ['-H', h]), paths[path].url,
    ]).then(({ stdout }) => parseWrk(stdout));
  // Warm both paths (connection pools, the backend's client) before anything counts.
  await wrk('direct', 64, 1);
  await wrk('backend', 64, 1);
  const cells = [];
  for (let rep = 0; rep < cfg.reps; rep++) {
    for (const conc of [64, 1]) {
      const order = rep % 2 === 0 ? ['direct', 'backend'] : ['backend', 'direct'];
      for (const path of order) {
        sampleLoad(`hop ${path} c=${conc}`);
        const [b0, e0] = [cpuUs(child.pid), cpuUs(emulatorPid)];
        const r = await wrk(path, conc, cfg.wrkSeconds);
        const [b1, e1] = [cpuUs(child.pid), cpuUs(emulatorPid)];
        // What each request cost the servers' CPUs (the backend is idle on the direct path).
        r.backend_cpu_us_per_request = (b1 - b0) / r.requests;
        r.emulator_cpu_us_per_request = (e1 - e0) / r.requests;
        cells.push({ path, concurrency: conc, rep, ...r });
        log(
          `rep ${rep + 1}/${cfg.reps} c=${conc} ${path.padEnd(8)} p50 ${r.p50_us.toFixed(0)} µs  p99 ${r.p99_us.toFixed(0)} µs  ${r.rps.toFixed(0)}/s` +
            (r.non2xx || r.socket_errors ? `  ERRORS non2xx=${r.non2xx} ${r.socket_errors ?? ''}` : ''),
        );
      }
    }
  }
  // Open loop at half the backend's saturation throughput (wrk c=64 above): requests start at a
  // fixed rate, each timed from when it was due, so the hop is measured without the queueing
  // of a saturated machine that wrk's closed loop builds up.
  const backendRps = cells.filter((c) => c.path === 'backend' && c.concurrency === 64).map((c) => c.rps).sort((a, b) => a - b);
  const saturation = backendRps[Math.floor(backendRps.length / 2)];
  const rate = Math.round(saturation / 2);
  const openLoop = (path) =>
    runJson(juspayBench, [
      'open-loop', '--url', paths[path].url, ...paths[path].headers.flatMap((h) => ['--header', h]),
      '--rate', String(rate), '--warmup-ms', '1000', '--duration-ms', String(cfg.wrkSeconds * 1000),
    ]);
  for (let rep = 0; rep < cfg.reps; rep++) {
    const order = rep % 2 === 0 ? ['direct', 'backend', 'floor'] : ['floor', 'backend', 'direct'];
    for (const path of order) {
      sampleLoad(`hop open-loop ${path}`);
      // The server in front of the emulator: the backend, or on the floor's path the floor.
      const front = path === 'floor' ? floor.child.pid : child.pid;
      const [b0, e0] = [cpuUs(front), cpuUs(emulatorPid)];
      const r = await openLoop(path);
      const [b1, e1] = [cpuUs(front), cpuUs(emulatorPid)];
      r.backend_cpu_us_per_request = (b1 - b0) / r.requests_sent;
      r.emulator_cpu_us_per_request = (e1 - e0) / r.requests_sent;
      cells.push({ mode: 'open', path, rep, saturation_rps: saturation, ...r });
      log(
        `rep ${rep + 1}/${cfg.reps} open ${rate}/s ${path.padEnd(8)} p50 ${r.latency.p50_us.toFixed(0)} µs  p99 ${r.latency.p99_us.toFixed(0)} µs` +
          (r.errors || r.shed || r.unfinished ? `  ERRORS ${r.errors} shed ${r.shed} unfinished ${r.unfinished}` : ''),
      );
    }
  }
  child.kill('SIGTERM');
  floor.child.kill('SIGTERM');
  return cells;
}

const jvmDir = join(root, 'benchmarks/jvm');
function javaArgs(lib) {
  const cp = [join(jvmDir, 'target/classes'), readFileSync(join(jvmDir, 'target/classpath.txt'), 'utf8').trim()].join(':');
  return ['-Xmx512m', `-Duniffi.component.juspay_customer.libraryOverride=${lib}`, '-cp', cp, 'BenchKt'];
}

// The Kotlin and Swift harnesses' phases: two warm-up rounds, then measured rounds, 2 s each.
const NATIVE_TIMING = ['--duration-ms', '2000', '--warmup-ms', '2000', '--warmup-rounds', '2'];

async function jvm(emulatorUrl, lib) {
  const runs = [
    // The generated bindings with their waker threads kept attached (WakerThreads.keepAttached()),
    // suspend and blocking, JniLookups (what the Capacitor plugin calls) suspend and blocking,
    // against OkHttp used two ways.
    {
      name: 'shipped',
      args: ['--clients', 'uniffi,uniffi-blocking,jni,jni-blocking,okhttp,okhttp-io', '--keep-waker-attached', 'true', '--rounds', String(cfg.jvmRounds)],
    },
    // The generated bindings alone, as an app that never calls WakerThreads.keepAttached() has them.
    { name: 'bindings-alone', args: ['--clients', 'uniffi,okhttp', '--rounds', '3'] },
  ];
  const out = {};
  for (const run of runs) {
    sampleLoad(`jvm ${run.name}`);
    const result = await runJson('java', [
      ...javaArgs(lib), 'latency', ...target(emulatorUrl), ...run.args, ...NATIVE_TIMING,
    ]);
    for (const r of result.rounds) {
      log(`jvm ${run.name} round ${r.round} ${r.client.padEnd(15)} p50 ${r.summary.p50_us.toFixed(0)} µs  p99 ${r.summary.p99_us.toFixed(0)} µs`);
      r.run = run.name;
    }
    out.java = result.java;
    out.rounds = [...(out.rounds ?? []), ...result.rounds];
  }
  return out;
}

// Swift on Linux (benchmarks/swift): the committed bindings over the library bench.sh build
// linked, against URLSession, in one process, as the JVM run does for Kotlin.
async function swift(emulatorUrl) {
  sampleLoad('swift');
  const result = await runJson('bash', [
    join(root, 'benchmarks/swift/bench.sh'), 'run', 'latency', ...target(emulatorUrl),
    '--clients', 'uniffi,uniffi-blocking,urlsession', '--rounds', String(cfg.jvmRounds), ...NATIVE_TIMING,
  ]);
  for (const r of result.rounds) {
    log(`swift round ${r.round} ${r.client.padEnd(15)} p50 ${r.summary.p50_us.toFixed(0)} µs  p99 ${r.summary.p99_us.toFixed(0)} µs`);
  }
  return result;
}

async function coldStarts(urls, tls, lib) {
  const nodeEnv = { ...process.env, NODE_EXTRA_CA_CERTS: tls?.ca ?? '', NODE_ENV: 'production' };
  const kinds = {
    'rust-core': () => runJson(juspayBench, ['cold', '--client', 'core', ...target(urls.plain)]),
    'rust-floor': () => runJson(juspayBench, ['cold', '--client', 'floor', ...target(urls.plain)]),
    ...(urls.tls && {
      'node-sdk': () =>
        runJson('node', [join(nodeDir, 'sdk-bench.mjs'), 'cold', ...target(urls.tls)], { cwd: nodeDir, env: nodeEnv }),
    }),
    'node-sdk-plain': () =>
      runJson('node', [join(nodeDir, 'sdk-bench.mjs'), 'cold', ...target(urls.plain), '--plain-http-shim'], {
        cwd: nodeDir,
        env: nodeEnv,
      }),
    'jvm-uniffi': () => runJson('java', [...javaArgs(lib), 'cold', 'uniffi', ...target(urls.plain)]),
    'jvm-okhttp': () => runJson('java', [...javaArgs(lib), 'cold', 'okhttp', ...target(urls.plain)]),
  };
  const names = Object.keys(kinds);
  const runs = [];
  for (let i = 0; i < cfg.coldRuns; i++) {
    sampleLoad('cold');
    const order = [...names.slice(i % names.length), ...names.slice(0, i % names.length)];
    for (const name of order) {
      const r = await kinds[name]();
      runs.push({ kind: name, run: i, ...r });
    }
  }
  log(`cold starts: ${runs.length} processes`);
  return runs;
}

async function rss(emulatorUrl) {
  const out = [];
  for (const conc of [1, 16]) {
    sampleLoad(`rss c=${conc}`);
    const r = await runJson(juspayBench, [
      'rss', ...target(emulatorUrl), '--lookups', String(cfg.rssLookups), '--concurrency', String(conc),
    ]);
    const k = r.rss_kib;
    log(`rss c=${conc}: ${k.after_first_lookup} KiB after the first lookup, ${k.after_all} KiB after ${r.lookups + 1001}`);
    out.push(r);
  }
  return out;
}

async function sizes() {
  const measure = async (path) => {
    const lib = join(root, path);
    const sections = {};
    for (const line of (await sh(`size -A ${lib}`)).split('\n')) {
      const m = line.match(/^(\.\S+)\s+(\d+)/);
      if (m) sections[m[1]] = Number(m[2]);
    }
    return { path, bytes: statSync(lib).size, sections };
  };
  const android = (triple) => measure(`target/bench/android-flags/${triple}/release-mobile/libjuspay_customer.so`);
  return {
    ...(await measure('target/bench/release-mobile/libjuspay_customer.so')),
    // Linked as scripts/build-android.sh links (benchmarks/run.sh).
    android_flags: { x86_64: await android('x86_64-unknown-linux-gnu'), aarch64: await android('aarch64-unknown-linux-gnu') },
  };
}

async function bundle() {
  // Built from a copy of src-ts (tsc only), so the working tree's dist/ and README.md, which
  // others may be using, are left alone.
  const copy = join(work, 'bundle');
  await sh(`rm -rf ${copy} && mkdir -p ${copy}`);
  await sh(`cp -R ${root}/src-ts ${root}/tsconfig.json ${root}/package.json ${copy}/ && ln -s ${root}/node_modules ${copy}/node_modules`);
  await run(join(root, 'node_modules/.bin/tsc'), ['-p', join(copy, 'tsconfig.json')], { cwd: copy });
  const { stdout } = await run('node', [join(copy, 'src-ts/tools/bundle-size.mjs')], { cwd: copy });
  const total = stdout.match(/min\+gzip: [\d.]+ KiB \((\d+) B; minified [\d.]+ KiB\)/);
  const initial = stdout.match(/split off\): [\d.]+ KiB \((\d+) B\)/);
  return { gzip_bytes: Number(total?.[1]), initial_gzip_bytes: Number(initial?.[1]), output: stdout.trim() };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const results = { started: new Date().toISOString(), config: cfg, machine: await machine() };
  sampleLoad('start');
  const loadTimer = setInterval(() => sampleLoad('tick'), 10000);

  const emulatorLog = join(work, 'emulator.log');
  writeFileSync(emulatorLog, '');
  const emulator = await startServer(
    'juspay-sandbox',
    join(release, 'juspay-sandbox'),
    ['--listen', '127.0.0.1:0', '--api-key', API_KEY, '--merchant-id', MERCHANT, '--stop-on-stdin-eof'],
    { ready: /listening on (http:\/\/(\S+))/, env: { RUST_LOG: 'warn' }, logFile: emulatorLog },
  );
  const urls = { plain: emulator.match[1] };
  const emulatorAddr = emulator.match[2];
  log(`emulator at ${urls.plain}`);

  let tls = null;
  let front = null;
  try {
    tls = await tlsMaterial();
    front = await startTlsFront(emulatorAddr, tls);
    urls.tls = front.baseUrl;
    log(`TLS front at ${urls.tls}`);
  } catch (e) {
    results.tls_front_error = String(e.message ?? e);
    log(`no TLS front, so no Node SDK over TLS: ${results.tls_front_error}`);
  }
  results.urls = urls;
  const lib = join(bench, 'release-mobile/libjuspay_customer.so');

  const step = async (name, fn) => {
    if (!wanted(name)) return;
    log(`== ${name}`);
    const t0 = Date.now();
    try {
      results[name] = await fn();
    } catch (e) {
      results[`${name}_error`] = String(e.stack ?? e);
      log(`${name} FAILED: ${e.message}`);
    }
    results[`${name}_seconds`] = (Date.now() - t0) / 1000;
  };
  await step('size', sizes);
  await step('latency', () => latencyMatrix(urls, tls));
  await step('interleaved', () => interleaved(urls));
  await step('hop', () => backendHop(urls.plain, emulator.child.pid));
  await step('jvm', () => jvm(urls.plain, lib));
  await step('swift', () => swift(urls.plain));
  await step('cold', () => coldStarts(urls, tls, lib));
  await step('rss', () => rss(urls.plain));
  await step('bundle', bundle);

  if (front) {
    front.child.stdin.end();
    const stats = await new Promise((r) => {
      let out = '';
      front.child.stdout.on('data', (d) => (out += d));
      front.child.on('exit', () => r(out.trim()));
      setTimeout(() => r(out.trim()), 3000);
    });
    try {
      results.tls_front = JSON.parse(stats);
    } catch {
      results.tls_front = null;
    }
  }
  emulator.child.kill('SIGTERM');
  clearInterval(loadTimer);
  sampleLoad('end');
  results.load = loadSamples;
  results.finished = new Date().toISOString();
  results.seconds = (Date.now() - started) / 1000;
  const file = join(work, 'results.json');
  writeFileSync(file, JSON.stringify(results, null, 1));
  log(`results in ${file} (${results.seconds.toFixed(0)} s)`);
  if (!existsSync(file)) process.exit(1);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e.stack ?? e);
    process.exit(1);
  },
);
