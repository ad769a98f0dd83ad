// gantry serve benchmark (issue 10): /api/v1/all throughput and latency against static file servers serving the
// same bytes at the same path, in one run — python3 -m http.server, Debian's nginx (sendfile) when installed, and
// catalogd-ref (Go's http.ServeContent over the file, catalogd's own code path) when Go is installed — plus the
// RSS of gantry serve with every corpus catalog loaded.
// Usage: node dist/bench/serve-bench.js [--repeat N] [--big-requests N] [--small-requests N] [--concurrency C]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeCatalog, REAL_CATALOG } from '../test/corpus.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const REPEAT = flag('--repeat', 3);
const BIG_REQUESTS = flag('--big-requests', 24);
const SMALL_REQUESTS = flag('--small-requests', 400);
const CONCURRENCY = flag('--concurrency', 4);
/** Bounds every wait, so a stuck server fails the run instead of hanging it. */
const READY_TIMEOUT_MS = 120_000;
const REQUEST_TIMEOUT_MS = 120_000;

interface Server {
  name: string;
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts a server process and waits (bounded) until `probe` answers 200. */
async function launch(name: string, cmd: string, argv: string[], base: string, probe: string, opts: { cwd?: string } = {}): Promise<Server> {
  const child: ChildProcess = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], cwd: opts.cwd, detached: false });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr.slice(-500)}`);
    const ok = await get(`${base}${probe}`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready within ${READY_TIMEOUT_MS} ms: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    base,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** One GET (readiness probe), body counted and dropped. */
function get(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode!, bytes }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

interface Load {
  reqPerS: number;
  mibPerS: number;
  p50: number;
  p99: number;
}

/**
 * N requests over C keep-alive connections, made by C curl processes (a client in C, so the client's own cost
 * stays small next to the servers'); every answer must be 200 with exactly `size` bytes.
 */
async function load(url: string, n: number, c: number, size: number): Promise<Load> {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: c }, (_, i) => {
      const k = Math.floor(n / c) + (i < n % c ? 1 : 0);
      const argv = ['-s', '--max-time', String(REQUEST_TIMEOUT_MS / 1000), '-w', '%{http_code} %{size_download} %{time_total}\\n'];
      for (let j = 0; j < k; j++) argv.push('-o', '/dev/null', url);
      return new Promise<void>((resolve, reject) => {
        const child = spawn('curl', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          const lines = out.trim().split('\n').filter(Boolean);
          for (const l of lines) {
            const [status, bytes, total] = l.split(' ');
            if (status !== '200' || Number(bytes) !== size) return reject(new Error(`${url}: ${status}, ${bytes} bytes (want ${size})`));
            latencies.push(Number(total) * 1000);
          }
          if (code !== 0 || lines.length !== k) return reject(new Error(`curl exited ${code} after ${lines.length} of ${k} requests`));
          resolve();
        });
      });
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]!;
  return { reqPerS: n / seconds, mibPerS: (n * size) / seconds / 2 ** 20, p50: pct(50), p99: pct(99) };
}

async function rssMiB(pid: number): Promise<number> {
  const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

const has = (cmd: string) => spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const port = () => 20_000 + Math.floor(Math.random() * 20_000);

async function main(): Promise<void> {
  const big = await largeCatalog();
  const work = await mkdtemp(join(tmpdir(), 'gantry-servebench-'));
  const servers: Server[] = [];
  try {
    // gantry with both catalogs: the 7,014-bundle one (big) and the real v4.20 one (small).
    const started = Date.now();
    const gantryPort = port();
    const gantry = await launch('gantry serve', process.execPath, [join(ROOT, 'bin/gantry.js'), 'serve', `big=${big}`, `small=${REAL_CATALOG}`, '--listen', `127.0.0.1:${gantryPort}`], `http://127.0.0.1:${gantryPort}`, '/catalogs/small/api/v1/all');
    const startupS = (Date.now() - started) / 1000;
    servers.push(gantry);
    const rssAll = await rssMiB(gantry.pid);

    // The same bytes as files at the same paths, for the static servers.
    const sizes: Record<string, number> = {};
    for (const name of ['big', 'small']) {
      const dir = join(work, 'static', 'catalogs', name, 'api', 'v1');
      await mkdir(dir, { recursive: true });
      const body = await new Promise<Buffer>((resolve, reject) =>
        request(`${gantry.base}/catalogs/${name}/api/v1/all`, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve(Buffer.concat(parts)));
        }).on('error', reject).end(),
      );
      sizes[name] = body.length;
      await writeFile(join(dir, 'all'), body);
    }
    const root = join(work, 'static');

    const pyPort = port();
    servers.push(await launch('python3 -m http.server', 'python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', root, String(pyPort)], `http://127.0.0.1:${pyPort}`, '/catalogs/small/api/v1/all'));
    if (has('nginx')) {
      const ngPort = port();
      const conf = join(work, 'nginx.conf');
      await writeFile(
        conf,
        [
          // One worker: gantry serve is one Node process; the comparison is per process.
          'worker_processes 1;',
          'daemon off;',
          'user root;',
          `pid ${join(work, 'nginx.pid')};`,
          `error_log ${join(work, 'nginx-error.log')};`,
          'events { worker_connections 1024; }',
          'http {',
          '  access_log off;',
          '  sendfile on;',
          '  tcp_nopush on;',
          '  default_type application/jsonl;',
          `  client_body_temp_path ${work}/nginx-body; proxy_temp_path ${work}/nginx-proxy; fastcgi_temp_path ${work}/nginx-fcgi; uwsgi_temp_path ${work}/nginx-uwsgi; scgi_temp_path ${work}/nginx-scgi;`,
          `  server { listen 127.0.0.1:${ngPort}; root ${root}; }`,
          '}',
          '',
        ].join('\n'),
      );
      servers.push(await launch('nginx (sendfile, 1 worker)', 'nginx', ['-c', conf, '-e', join(work, 'nginx-error.log')], `http://127.0.0.1:${ngPort}`, '/catalogs/small/api/v1/all'));
    } else {
      process.stderr.write('nginx not installed: apt-get install nginx-light to add it\n');
    }
    if (has('go')) {
      const bin = join(work, 'catalogd-ref');
      const b = spawnSync('go', ['build', '-o', bin, join(ROOT, 'bench/catalogd-ref/main.go')], { env: { ...process.env, GOCACHE: join(work, 'gocache'), GOPATH: join(work, 'gopath'), GOTOOLCHAIN: 'local' }, encoding: 'utf8' });
      if (b.status !== 0) throw new Error(`go build catalogd-ref: ${b.stderr}`);
      for (const name of ['big']) {
        const goPort = port();
        servers.push(await launch('catalogd-ref (Go ServeContent)', bin, ['-catalog', big, '-name', name, '-listen', `127.0.0.1:${goPort}`], `http://127.0.0.1:${goPort}`, `/catalogs/${name}/api/v1/all`));
      }
    } else {
      process.stderr.write('go not installed: catalogd-ref left out\n');
    }

    const rows: string[] = [];
    for (const [name, n] of [['big', BIG_REQUESTS], ['small', SMALL_REQUESTS]] as const) {
      const results = new Map<string, Load>();
      const these = servers.filter((s) => !(s.name.startsWith('catalogd-ref') && name !== 'big'));
      const url = (s: Server) => `${s.base}/catalogs/${name}/api/v1/all`;
      for (const s of these) await load(url(s), Math.max(CONCURRENCY, Math.floor(n / 4)), CONCURRENCY, sizes[name]!); // warm-up
      // Repetitions interleave the servers, so a neighbour's load on this shared machine hits them all alike.
      const runs = new Map<string, Load[]>(these.map((s) => [s.name, []]));
      for (let i = 0; i < REPEAT; i++) for (const s of these) runs.get(s.name)!.push(await load(url(s), n, CONCURRENCY, sizes[name]!));
      for (const s of these) {
        const r = runs.get(s.name)!;
        const m: Load = { reqPerS: median(r.map((x) => x.reqPerS)), mibPerS: median(r.map((x) => x.mibPerS)), p50: median(r.map((x) => x.p50)), p99: median(r.map((x) => x.p99)) };
        results.set(s.name, m);
        process.stderr.write(`${name} / ${s.name}: ${m.reqPerS.toFixed(1)} req/s, p50 ${m.p50.toFixed(1)} ms (runs: ${r.map((x) => x.reqPerS.toFixed(1)).join(', ')})\n`);
      }
      const g = results.get('gantry serve')!;
      for (const [server, m] of results) {
        rows.push(`| ${name} (${(sizes[name]! / 2 ** 20).toFixed(1)} MiB) | ${server} | ${m.reqPerS.toFixed(1)} | ${m.mibPerS.toFixed(0)} | ${m.p50.toFixed(1)} ms | ${m.p99.toFixed(1)} ms | ${(g.reqPerS / m.reqPerS).toFixed(2)} |`);
      }
    }
    console.log(`\n${REPEAT} runs each (medians); ${CONCURRENCY} keep-alive connections; big: ${BIG_REQUESTS} requests, small: ${SMALL_REQUESTS}.\n`);
    console.log('| body | server | req/s | MiB/s | p50 latency | p99 latency | gantry req/s ÷ this |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(r);
    const rssAfter = await rssMiB(gantry.pid);
    console.log(`\ngantry serve with both corpus catalogs (${((sizes.big! + sizes.small!) / 2 ** 20).toFixed(0)} MiB of JSON Lines): ready in ${startupS.toFixed(1)} s, RSS ${rssAll.toFixed(0)} MiB after start, ${rssAfter.toFixed(0)} MiB after the load.`);
  } finally {
    for (const s of servers.reverse()) await s.stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`serve-bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
