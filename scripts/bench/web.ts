/**
 * `npm run bench:web`: the three fronts as a phone on a slow network would load them. The build
 * (web-dist/, dist/) comes first (package.json); then the whole platform with the demo data on a
 * scratch database (as test/browser/platform-setup.ts starts it: the four apps, the worker and
 * the web gateway serving web-dist/ with /api/<app>/ on one origin), and Debian's Chromium
 * (playwright-core) loading /h5/, /till/ and /console/ each from a cold cache, with the network
 * throttled to slow 4G (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up: CDP
 * Network.emulateNetworkConditions) and the CPU slowed 4× (Emulation.setCPUThrottlingRate).
 *
 * For each front, from the page's own Resource Timing:
 *   - <front>JsKbGz: the JavaScript of the first load, gzip: the encoded (gzip, as the gateway
 *     sends it) body sizes of every .js response until the network has been quiet for 500 ms
 *     after the page became interactive, in kB (1,000 bytes);
 *   - <front>InteractiveMs: from navigation start until the page's main control is visible and
 *     enabled (docs/benchmarks.md: the element marked data-main-control; a front that marks none
 *     is timed to its first enabled form control in <main>, else its first visible heading, and
 *     the JSON line says which rule timed it), the median of the loads;
 *   - criticalPath.<front>: the requests that had finished by then (the page itself included)
 *     and their bytes on the wire (headers and encoded bodies): figures of the build and the
 *     demo data, not of the machine.
 * The last line printed is one JSON object with the yardsticks beside it; `--short` loads each
 * front once instead of five times.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { benchSetting, log, openBenchServices, printResult, ROOT, runBench, shortRun } from './bench-kit';
import { measureYardsticks } from './yardsticks';
import { freePort } from '../free-port';

const FRONTS = ['h5', 'till', 'console'] as const;
type Front = (typeof FRONTS)[number];
const LOADS = benchSetting('BENCH_WEB_LOADS', 5, 1);
/** Slow 4G, as Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. */
const NETWORK = { rttMs: 150, downKbps: 1600, upKbps: 750 };
const CPU_SLOWDOWN = 4;
const GOALS = { h5JsKbGz: 150, tillJsKbGz: 200, h5InteractiveMs: 2500 };
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startPlatform } = require(join(ROOT, 'scripts/platform.cjs')) as {
  startPlatform(options: { env: NodeJS.ProcessEnv; logDir: string }): Promise<{ stop(): Promise<void> }>;
};

interface LoadFigures {
  interactiveMs: number;
  /** Which rule found the main control. */
  by: string;
  jsBytesGz: number;
  jsFiles: number;
  criticalRequests: number;
  criticalBytes: number;
}

/**
 * Installed in the page before its own scripts (a string: this file is compiled without the
 * DOM's types): on every frame, the performance.now() at which each rule first held. `marked`:
 * the element marked data-main-control is visible and enabled; `control`: a form control in
 * <main> is; `heading`: a heading of the app is visible. Stops once `marked` holds.
 */
const READINESS_RECORDER = `(() => {
  const seen = (window.__readiness = {});
  const visible = (el) => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const enabled = (el) => !el.disabled && el.getAttribute('aria-disabled') !== 'true';
  const check = () => {
    const now = performance.now();
    const marked = document.querySelector('[data-main-control]');
    if (seen.marked === undefined && marked && visible(marked) && enabled(marked)) seen.marked = now;
    if (seen.control === undefined && [...document.querySelectorAll('main button, main input, main select, main textarea')].some((el) => visible(el) && enabled(el))) seen.control = now;
    if (seen.heading === undefined && [...document.querySelectorAll('#app h1, #app h2')].some(visible)) seen.heading = now;
    if (seen.marked === undefined) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})()`;

/** How long after the network goes quiet a front still has to show a marked main control. */
const MARKED_GRACE_MS = 3000;

/** The page's Resource Timing: what had finished by `until` ms, and the .js bodies of everything so far. */
const RESOURCES = `((until) => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  // The favicon never holds a page up: the browser asks for it whenever it likes.
  const done = entries.filter((entry) => entry.responseEnd <= until && !new URL(entry.name).pathname.endsWith('/favicon.svg'));
  const js = entries.filter((entry) => new URL(entry.name).pathname.endsWith('.js'));
  return {
    criticalRequests: done.length,
    criticalBytes: done.reduce((sum, entry) => sum + entry.transferSize, 0),
    criticalNames: done.map((entry) => new URL(entry.name).pathname),
    jsBytesGz: js.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
    jsDecoded: js.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    jsFiles: js.length,
  };
})`;

async function loadOnce(browser: Browser, url: string): Promise<LoadFigures> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: NETWORK.rttMs,
      downloadThroughput: (NETWORK.downKbps * 1000) / 8,
      uploadThroughput: (NETWORK.upKbps * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.addInitScript(READINESS_RECORDER);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForLoadState('networkidle', { timeout: 60_000 });
    // The marked main control, when the front has one; the fallbacks' times were recorded meanwhile.
    await page.waitForFunction('window.__readiness.marked !== undefined', undefined, { timeout: MARKED_GRACE_MS }).catch(() => undefined);
    const seen = (await page.evaluate('window.__readiness')) as { marked?: number; control?: number; heading?: number };
    const [at, by] =
      seen.marked !== undefined
        ? [seen.marked, 'data-main-control']
        : seen.control !== undefined
          ? [seen.control, 'first form control in main']
          : [seen.heading ?? Number.NaN, 'first heading (no control)'];
    if (Number.isNaN(at)) throw new Error(`${url}: the page showed no main control, form control or heading`);
    await page.waitForLoadState('networkidle');
    const figures = (await page.evaluate(`${RESOURCES}(${at})`)) as Omit<LoadFigures, 'interactiveMs' | 'by'> & { jsDecoded: number; criticalNames: string[] };
    if (process.env.BENCH_TRACE) log(`${url} critical path: ${figures.criticalNames.join(' ')}`);
    if (figures.jsBytesGz >= figures.jsDecoded) log(`${url}: the .js responses were not compressed (${figures.jsBytesGz} encoded, ${figures.jsDecoded} decoded)`);
    return { interactiveMs: Math.round(at), by, jsBytesGz: figures.jsBytesGz, jsFiles: figures.jsFiles, criticalRequests: figures.criticalRequests, criticalBytes: figures.criticalBytes };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const bench = await openBenchServices();
  try {
    const yardsticks = await measureYardsticks(bench, ['httpHelloPerSec']);
    const [issuance, merchant, redemption, settlement, web] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      DATABASE_URL: bench.databaseUrl,
      REDIS_URL: bench.redisUrl,
      REDIS_KEY_PREFIX: bench.prefix,
      JWT_SECRET: `bench-web-${randomBytes(24).toString('hex')}`,
      TRUST_PROXY: '127.0.0.1',
      ISSUANCE_PORT: String(issuance),
      MERCHANT_PORT: String(merchant),
      REDEMPTION_PORT: String(redemption),
      SETTLEMENT_PORT: String(settlement),
      WEB_PORT: String(web),
    };
    log('loading the demo data');
    const seed = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/seed-demo.js')], { cwd: ROOT, env, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`the demo seed failed: ${seed.stderr}`);
    const platform = await startPlatform({ env, logDir: join(ROOT, 'test-results', 'bench-web-logs', bench.prefix.replace(/\W/g, '')) });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const results = {} as Record<Front, LoadFigures[]>;
      for (const front of FRONTS) {
        results[front] = [];
        // One unmeasured load first: the gateway reads and gzips each file on its first request.
        await loadOnce(browser, `http://127.0.0.1:${web}/${front}/`);
        for (let i = 0; i < LOADS; i++) {
          const figures = await loadOnce(browser, `http://127.0.0.1:${web}/${front}/`);
          log(`${front} load ${i + 1}: interactive ${figures.interactiveMs} ms (${figures.by}), JS ${figures.jsFiles} files ${figures.jsBytesGz} B gzip, critical path ${figures.criticalRequests} requests ${figures.criticalBytes} B`);
          results[front].push(figures);
        }
      }
      const kb = (bytes: number) => Math.round(bytes / 100) / 10;
      const last = (front: Front) => results[front][results[front].length - 1];
      const line = {
        h5JsKbGz: kb(last('h5').jsBytesGz),
        tillJsKbGz: kb(last('till').jsBytesGz),
        consoleJsKbGz: kb(last('console').jsBytesGz),
        h5InteractiveMs: median(results.h5.map((load) => load.interactiveMs)),
        tillInteractiveMs: median(results.till.map((load) => load.interactiveMs)),
        consoleInteractiveMs: median(results.console.map((load) => load.interactiveMs)),
        criticalPath: Object.fromEntries(FRONTS.map((front) => [front, { requests: last(front).criticalRequests, bytes: last(front).criticalBytes }])),
        jsFiles: Object.fromEntries(FRONTS.map((front) => [front, last(front).jsFiles])),
        interactiveBy: Object.fromEntries(FRONTS.map((front) => [front, last(front).by])),
        interactiveMsEach: Object.fromEntries(FRONTS.map((front) => [front, results[front].map((load) => load.interactiveMs)])),
        goals: GOALS,
        throttling: { ...NETWORK, cpuSlowdown: CPU_SLOWDOWN },
        loads: LOADS,
        ...(shortRun ? { short: true } : {}),
        yardsticks,
      };
      const missed = [
        line.h5JsKbGz > GOALS.h5JsKbGz ? `h5JsKbGz ${line.h5JsKbGz} > ${GOALS.h5JsKbGz}` : '',
        line.tillJsKbGz > GOALS.tillJsKbGz ? `tillJsKbGz ${line.tillJsKbGz} > ${GOALS.tillJsKbGz}` : '',
        line.h5InteractiveMs > GOALS.h5InteractiveMs ? `h5InteractiveMs ${line.h5InteractiveMs} > ${GOALS.h5InteractiveMs}` : '',
      ].filter(Boolean);
      log(missed.length === 0 ? 'every goal met' : `goals missed: ${missed.join(', ')}`);
      printResult(line, []);
    } finally {
      await browser.close();
      await platform.stop();
    }
  } finally {
    await bench.close();
  }
}

runBench(main);
