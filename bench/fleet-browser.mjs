// The browser half of the fleet benchmark (issue 13): Debian's Chromium,
// driven by Playwright, opens the status page and one service's
// Environments tab of a running portal and reports, as a Markdown table,
// the time from navigation to the first rows (goal <= 2 s) and to the tab's
// four overview cards (goal <= 1 s warm), with the plugin's requests and
// bytes per load.
//
//   node bench/fleet-browser.mjs BASE_URL ENTITY_NAME [RUNS]
//
// Signs in as guest. Full navigations (the app's scripts from the browser's
// cache after the first) are timed from goto() to the element; moves within
// the app (a client-side route change, as a click on a service does) from
// the history change to the element.
import { chromium } from '@playwright/test';

const [baseUrl, entity, runsArg] = process.argv.slice(2);
if (!baseUrl || !entity) {
  console.error('usage: fleet-browser.mjs BASE_URL ENTITY_NAME [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1500, height: 1000 },
  });
  page.setDefaultTimeout(60_000);
  let requests = [];
  page.on('response', async response => {
    const url = response.url();
    if (!url.includes('/api/aws-environments/')) return;
    const entry = { url: new URL(url).pathname, status: response.status() };
    requests.push(entry);
    try {
      entry.bytes = (await response.body()).length;
    } catch {
      entry.bytes = 0;
    }
  });

  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .waitFor();

  // Times one move to `path` (a page load or a route change) until `ready`;
  // the plugin's requests of the move are counted with it.
  async function timed(go, ready) {
    requests = [];
    const started = Date.now();
    await go();
    await ready();
    const ms = Date.now() - started;
    // Late answers of this move still count as its requests.
    await page.waitForTimeout(300);
    return {
      ms,
      requests: requests.length,
      bytes: requests.reduce((sum, r) => sum + (r.bytes ?? 0), 0),
    };
  }
  const load = (path, ready) =>
    timed(() => page.goto(`${baseUrl}${path}`), ready);
  // Within the running app, as a person moves from the status page to a
  // service: a client-side route change, no page load.
  const navigate = (path, ready) =>
    timed(
      () =>
        page.evaluate(to => {
          window.history.pushState({}, '', to);
          window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
        }, path),
      ready,
    );
  const firstRows = () => page.getByTestId('cell-test').first().waitFor();
  const fourCards = () =>
    Promise.all(
      ['test', 'qa', 'staging', 'prod'].map(e =>
        page.getByTestId(`overview-${e}`).waitFor(),
      ),
    );

  const status = [];
  for (let i = 0; i < runs; i++) {
    status.push(await load('/aws-environments', firstRows));
  }
  const tab = [];
  for (let i = 0; i < runs; i++) {
    tab.push(
      await load(
        `/catalog/default/component/${entity}/environments`,
        fourCards,
      ),
    );
  }
  // One entity after another (their snapshots are warm: the status page's
  // first rows).
  const inApp = [];
  const names = entity.replace(/\d+$/, '');
  const first = Number(entity.match(/\d+$/)?.[0] ?? 1);
  const width = entity.length - names.length;
  for (let i = 0; i < runs; i++) {
    const name = `${names}${String(first + i).padStart(width, '0')}`;
    await navigate('/aws-environments', firstRows);
    inApp.push(
      await navigate(
        `/catalog/default/component/${name}/environments`,
        fourCards,
      ),
    );
  }
  await page.screenshot({
    path: process.env.FLEET_SCREENSHOT ?? 'fleet-tab.png',
  });

  const row = (label, xs, goal) =>
    `| ${label} | ${xs.map(x => x.ms).join(', ')} | ${median(
      xs.slice(1).map(x => x.ms),
    )} | ${goal} | ${median(xs.map(x => x.requests))} | ${median(
      xs.map(x => x.bytes),
    ).toLocaleString('en')} |`;
  console.log(
    `| Chromium (ms) | Each load | Median after the first | Goal | Plugin requests per load | Plugin bytes per load |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(
    row(
      'Status page, full navigation: first rows (`cell-test`)',
      status,
      '≤ 2000',
    ),
  );
  console.log(
    row(
      `Environments tab of ${entity}, full navigation: four overview cards`,
      tab,
      '≤ 1000 warm',
    ),
  );
  console.log(
    row(
      `Environments tab, from the status page within the app (${runs} services)`,
      inApp,
      '≤ 1000 warm',
    ),
  );
} finally {
  await browser.close();
}
