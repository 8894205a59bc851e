// Browser scenarios for the help center, run by tests/browser/run.sh against
// a live helpdex-serve (HDX_URL).  Each scenario is independent; failures
// are counted and the last line is "browser: N passed, M failed".
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { proxyScenarios } from './proxy.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const BASE = process.env.HDX_URL;
const TOKEN = process.env.HDX_TOKEN || '';
const INTERNAL = process.env.HDX_INTERNAL_TOKEN || '';
const ART = process.env.ARTIFACTS || 'artifacts';
mkdirSync(ART, { recursive: true });
if (!BASE) {
  console.log('HDX_URL is not set (use run.sh)');
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function assert(cond, msg) { if (!cond) throw new Error(msg); }

// A page that records CSP violations and script errors.
async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon|404 \(Not Found\)/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}
async function done(page) {
  const problems = page.problems;
  await page.context().close();
  assert(problems.length === 0, 'console errors: ' + problems.join(' | '));
}
const shot = (page, name, full = true) => page.screenshot({ path: join(ART, name), fullPage: full });

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

scenario('home page: search box, products, recent articles', async () => {
  const page = await newPage();
  const resp = await page.goto(BASE + '/');
  assert(resp.status() === 200, 'status ' + resp.status());
  assert((resp.headers()['content-security-policy'] || '').includes("script-src 'self'"), 'CSP header missing');
  assert(await page.locator('form[role=search] input#q').count() === 1, 'no search box');
  assert(await page.locator('label[for=q]').count() === 1, 'search box has no label');
  assert(await page.locator('.cards a.card').count() >= 3, 'no product cards');
  assert(await page.locator('#recent-h + ul li').count() >= 3, 'no recent articles');
  const h1 = await page.locator('h1').count();
  assert(h1 === 1, 'expected one h1, got ' + h1);
  await shot(page, 'desktop-home.png');
  await done(page);
});

scenario('type a query on the home page: suggestions appear', async () => {
  const page = await newPage();
  await page.goto(BASE + '/');
  await page.locator('#q').pressSequentially('reset pass', { delay: 30 });
  await page.locator('#suggest a').first().waitFor({ timeout: 5000 });
  const titles = await page.locator('#suggest a').allTextContents();
  assert(titles.some((t) => /Reset your Skylark password/.test(t)), 'suggestions: ' + titles.join(', '));
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.closest('#suggest') !== null);
  assert(focused, 'ArrowDown does not move into the suggestions');
  await shot(page, 'desktop-suggest.png', false);
  await done(page);
});

scenario('search as you type: results update in place, URL follows', async () => {
  const page = await newPage();
  await page.goto(BASE + '/search');
  const before = page.url();
  const requests = [];
  page.on('request', (r) => { if (r.url().includes('/api/search')) requests.push(r.url()); });
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially('reset skylark password', { delay: 20 });
  await page.waitForFunction(() => /reset skylark password/.test(document.getElementById('results-h').textContent), null, { timeout: 5000 });
  const first = await page.locator('#results .hit h2 a').first().textContent();
  assert(first === 'Reset your Skylark password', 'first result: ' + first);
  assert(page.url() !== before && new URL(page.url()).searchParams.get('q') === 'reset skylark password', 'URL not updated: ' + page.url());
  assert(requests.length >= 1 && requests.length < 'reset skylark password'.length, 'requests not debounced: ' + requests.length);
  const mark = await page.locator('#results .snippet mark').count();
  assert(mark > 0, 'no highlighted snippet');
  await shot(page, 'desktop-search.png');
  await done(page);
});

scenario('open an article from the results', async () => {
  const page = await newPage();
  await page.goto(BASE + '/search?q=reset+skylark+password');
  await page.locator('#results .hit h2 a').first().click();
  await page.waitForURL(/\/a\/reset-password/);
  assert(await page.locator('article h1').textContent() === 'Reset your Skylark password', 'wrong article');
  assert(await page.locator('nav.toc li').count() >= 4, 'no table of contents');
  assert(await page.locator('.related li').count() >= 1, 'no related articles');
  assert(await page.locator('time[datetime]').count() >= 1, 'no last-updated date');
  await shot(page, 'desktop-article.png');
  await done(page);
});

// The analytics store (run.sh starts the server with --analytics-db):
// rows matching `where`, read with python3's sqlite3.
function clicks(where) {
  const py = 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); ' +
    'print(c.execute("SELECT count(*) FROM events WHERE kind=\'click\' AND " + sys.argv[2]).fetchone()[0])';
  return Number(execFileSync('python3', ['-c', py, process.env.HDX_ANALYTICS_DB, where]).toString());
}
async function clickRecorded(where, before) {
  for (let i = 0; i < 100 && clicks(where) === before; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500)); // a second row would be here by now
  return clicks(where) - before;
}

// Open the first result of /search?q=<q> with JavaScript on or off: the
// link's href starts with `href`, the article opens without a request to
// /go when JavaScript reports the click, and exactly one click is stored.
async function countedClick(js, q, href) {
  const page = await newPage({ javaScriptEnabled: js });
  const gos = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/go') gos.push(r.url()); });
  const where = `source='web' AND query='${q}' AND position=1`;
  const before = clicks(where);
  await page.goto(BASE + '/search?q=' + encodeURIComponent(q));
  const link = page.locator('#results .hit h2 a').first();
  const got = await link.getAttribute('href');
  assert(got.startsWith(href), 'link: ' + got);
  await link.click();
  await page.waitForURL(/\/a\//);
  assert(!js || gos.length === 0, 'went through /go: ' + gos.join(' '));
  const n = await clickRecorded(where, before);
  assert(n === 1, 'clicks recorded: ' + n);
  await done(page);
}

scenario('analytics: a result click is reported once by beacon, the link is direct',
  () => countedClick(true, 'reset skylark password', '/a/reset-password'));

scenario('analytics without JavaScript: the /go link counts the click',
  () => countedClick(false, 'sign in', '/go?a='));

scenario('give feedback (Yes) with JavaScript; stats count it', async () => {
  const page = await newPage();
  await page.goto(BASE + '/a/sign-in?q=sign+in');
  await page.locator('#feedback-form button[value=yes]').click();
  await page.locator('#feedback-status:not([hidden])').waitFor({ timeout: 5000 });
  const text = await page.locator('#feedback-status').textContent();
  assert(/Thanks/.test(text), 'status: ' + text);
  assert(await page.locator('#escalate').isHidden(), 'escalation shown after Yes');
  assert(page.url().includes('/a/sign-in'), 'page navigated away');
  const r = await fetch(BASE + '/api/feedback/stats', { headers: { Authorization: 'Bearer ' + TOKEN } });
  assert(r.status === 200, 'stats status ' + r.status);
  const stats = await r.json();
  const row = stats.articles.find((a) => a.article === 'sign-in');
  assert(row && row.helpful >= 1, 'stats: ' + JSON.stringify(stats));
  await done(page);
});

scenario('escalation panel after "No", pre-filled with query and articles', async () => {
  const page = await newPage();
  await page.goto(BASE + '/a/files-not-syncing?q=sync+broken');
  await page.goto(BASE + '/a/sync-stuck?q=sync+broken');
  await page.locator('#feedback-form summary').click();
  await page.locator('#fb-comment').fill('Still stuck at 99%');
  await page.locator('#feedback-form button[value=no]').click();
  await page.locator('#escalate:not([hidden])').waitFor({ timeout: 5000 });
  const href = await page.locator('#escalate-link').getAttribute('href');
  const link = new URL(href, BASE).searchParams;
  const decoded = link.get('q') + ' ' + link.get('articles');
  assert(href.startsWith('/contact?'), 'href: ' + href);
  assert(decoded.includes('sync broken'), 'query missing: ' + decoded);
  assert(decoded.includes('files-not-syncing') && decoded.includes('sync-stuck'), 'viewed articles missing: ' + decoded);
  await shot(page, 'desktop-escalation.png');
  await done(page);
});

// Rows of the analytics store matching `where` (any kind).
function events(where) {
  const py = 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); ' +
    'print(c.execute("SELECT count(*) FROM events WHERE " + sys.argv[2]).fetchone()[0])';
  return Number(execFileSync('python3', ['-c', py, process.env.HDX_ANALYTICS_DB, where]).toString());
}
async function eventsAtLeast(where, n) {
  for (let i = 0; i < 100 && events(where) < n; i++) await new Promise((r) => setTimeout(r, 50));
  return events(where);
}
const sessionOf = async (page) =>
  ((await page.context().cookies()).find((c) => c.name === 'hdx_sid') || {}).value;

// A customer searches, opens a result, votes No with a comment and
// escalates through the contact form (support_email: the mailto page).
// Returns the session id and the article read.
async function escalateThroughContact() {
  const page = await newPage();
  await page.goto(BASE + '/search?q=sync+broken');
  await page.locator('#results .hit h2 a').first().click();
  await page.waitForURL(/\/a\//);
  const id = await page.locator('article[data-id]').getAttribute('data-id');
  await page.locator('#feedback-form summary').click();
  await page.locator('#fb-comment').fill('Still broken after the steps zqcomment');
  await page.locator('#feedback-form button[value=no]').click();
  await page.locator('#escalate:not([hidden])').waitFor({ timeout: 5000 });
  await Promise.all([page.waitForURL(/\/contact\?/), page.locator('#escalate-link').click()]);
  assert(await page.locator('#c-subject').inputValue() === 'sync broken', 'subject not prefilled');
  const arts = await page.locator('#contact-form input[name=articles]').inputValue();
  const qs = await page.locator('#contact-form input[name=q]').inputValue();
  assert(arts.split(',').includes(id), 'articles field: ' + arts);
  assert(qs.split('\n').includes('sync broken'), 'searches field: ' + qs);
  await page.locator('#c-description').fill('The sync icon spins forever.');
  await Promise.all([page.waitForURL(/\/contact$/), page.locator('#c-send').click()]);
  const mail = new URL(await page.locator('#contact-mailto').getAttribute('href'));
  assert(mail.protocol === 'mailto:' && mail.pathname === 'support@skylark.example', 'mailto: ' + mail);
  const body = mail.searchParams.get('body') || '';
  assert(body.startsWith('The sync icon spins forever.') && body.includes(id) && body.includes('sync broken'),
    'mail body: ' + body);
  const sid = await sessionOf(page);
  await done(page);
  return { sid, id };
}

// Another customer opens the contact form, types, opens a suggested
// article and leaves without sending the form (a deflection).
async function deflectFromContact() {
  const page = await newPage();
  await page.goto(BASE + '/contact');
  await page.locator('#c-subject').pressSequentially('reset my skylark password', { delay: 20 });
  const first = page.locator('#deflect-list a').first();
  await first.waitFor({ timeout: 5000 });
  assert(/src=contact/.test(await first.getAttribute('href')), 'suggestion not counted as contact');
  await shot(page, 'desktop-contact.png');
  await Promise.all([page.waitForURL(/\/a\/reset-password/), first.click()]);
  const sid = await sessionOf(page);
  await done(page);
  return sid;
}

scenario('contact form: escalate (search, click, No + comment, send) and deflect; the store has each event', async () => {
  const esc = await escalateThroughContact();
  const s = `session='${esc.sid}'`;
  assert(esc.sid, 'no session cookie');
  assert(await eventsAtLeast(`${s} AND kind='escalation' AND article='${esc.id}'`, 1) === 1, 'no escalation row');
  assert(events(`${s} AND kind='click' AND source='web' AND article='${esc.id}'`) === 1, 'no result click');
  assert(events(`${s} AND kind='feedback' AND helpful=0 AND comment LIKE '%zqcomment'`) === 1, 'no feedback row');
  assert(events(`${s} AND kind='contact_open'`) === 1, 'no contact_open');
  const sid = await deflectFromContact();
  const d = `session='${sid}'`;
  assert(await eventsAtLeast(`${d} AND kind='view' AND article='reset-password'`, 1) === 1, 'no view');
  assert(events(`${d} AND kind='contact_open'`) === 1, 'no contact_open (deflect)');
  assert(events(`${d} AND kind='click' AND source='contact' AND article='reset-password'`) === 1, 'no contact click');
  assert(events(`${d} AND kind='escalation'`) === 0, 'a deflected session escalated');
});

// The /admin dashboard's Totals (label -> number) for today.
async function dashboardTotals(page, token) {
  const day = new Date().toISOString().slice(0, 10);
  const resp = await page.goto(`${BASE}/admin?from=${day}&to=${day}&audience=public`);
  assert(resp.status() === 200, '/admin status ' + resp.status());
  const rows = await page.locator('table.admin-table', { has: page.locator('caption', { hasText: /^Totals$/ }) })
    .locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]));
  return Object.fromEntries(rows.map(([k, v]) => [k, Number(v.replace(/[^0-9.]/g, ''))]));
}

// The dashboard is not on every branch: skipped when GET /admin is 404.
scenario('dashboard: the escalation, the vote, the comment and the deflection are counted', async () => {
  const token = process.env.HDX_INTERNAL_TOKEN || TOKEN;
  const probe = await fetch(BASE + '/admin', { headers: { Authorization: 'Bearer ' + token } });
  if (probe.status === 404) return 'skipped: no /admin route';
  const admin = await newPage({ extraHTTPHeaders: { Authorization: 'Bearer ' + token } });
  const before = await dashboardTotals(admin, token);
  const esc = await escalateThroughContact();
  const sid = await deflectFromContact();
  await eventsAtLeast(`session='${sid}' AND kind='view'`, 1);
  await eventsAtLeast(`session='${esc.sid}' AND kind='escalation'`, 1);
  const after = await dashboardTotals(admin, token);
  const grew = (k, n) => assert(after[k] - before[k] >= n, `${k}: ${before[k]} -> ${after[k]}`);
  grew('Clicks', 2);
  grew('Escalated sessions', 1);
  grew('Sessions that opened the contact form', 2);
  grew('Deflected contact sessions', 1);
  const day = new Date().toISOString().slice(0, 10);
  await admin.goto(`${BASE}/admin/articles?from=${day}&to=${day}&audience=public`);
  const comment = admin.locator('.admin-comments li', { hasText: 'zqcomment' });
  assert(await comment.count() >= 1, 'the "No" comment is not on /admin/articles');
  const row = admin.locator('table.admin-table tr', { has: admin.locator(`th a[href="/a/${esc.id}"]`) }).first();
  const cells = (await row.locator('td').allTextContents()).map(Number);
  assert(cells[3] >= 1 && cells[5] >= 1, `${esc.id} row (views, clicks, helpful, not helpful, comments, escalations): ${cells}`);
  await done(admin);
});

scenario('no results: escalation panel on the search page', async () => {
  const page = await newPage();
  await page.goto(BASE + '/search?q=' + encodeURIComponent('zzqqxx wwvvyy'));
  assert(await page.locator('#no-results').isVisible(), 'no no-results state');
  assert(await page.locator('#escalate').isVisible(), 'no escalation panel');
  // and after typing a new query live
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially('password', { delay: 20 });
  await page.locator('#results .hit').first().waitFor({ timeout: 5000 });
  assert(await page.locator('#escalate').isHidden(), 'escalation still shown with results');
  await done(page);
});

scenario('keyboard only: Tab to search, type, Enter, Tab to first result', async () => {
  const page = await newPage();
  await page.goto(BASE + '/a/reset-password');
  let onBox = false;
  for (let i = 0; i < 8 && !onBox; i++) {
    await page.keyboard.press('Tab');
    onBox = await page.evaluate(() => document.activeElement.id === 'q');
  }
  assert(onBox, 'could not Tab to the search box');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline !== 'none', 'no visible focus on the search box');
  await page.keyboard.type('two factor');
  await Promise.all([page.waitForURL(/\/search\?q=two/), page.keyboard.press('Enter')]);
  let onHit = false;
  for (let i = 0; i < 10 && !onHit; i++) {
    await page.keyboard.press('Tab');
    onHit = await page.evaluate(() => {
      const first = document.querySelector('#results .hit h2 a');
      return document.activeElement === first;
    });
  }
  assert(onHit, 'could not Tab to the first result');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(ring !== 'none', 'no visible focus on the result link');
  await shot(page, 'desktop-keyboard.png', false);
  await Promise.all([page.waitForURL(/\/a\//), page.keyboard.press('Enter')]);
  assert(await page.locator('article h1').count() === 1, 'Enter on a result did not open it');
  await done(page);
});

scenario('JavaScript disabled: search, article and feedback still work', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(BASE + '/');
  await page.locator('#q').fill('reset skylark password');
  await Promise.all([page.waitForURL(/\/search\?q=reset/), page.locator('#q').press('Enter')]);
  const first = await page.locator('#results .hit h2 a').first().textContent();
  assert(first === 'Reset your Skylark password', 'first result: ' + first);
  await page.locator('.facets a').first().click();
  assert(/product=/.test(page.url()), 'facet link did not filter: ' + page.url());
  await page.goto(BASE + '/a/reset-password?q=reset+skylark+password');
  await Promise.all([page.waitForURL(/feedback=no/), page.locator('#feedback-form button[value=no]').click()]);
  assert(await page.locator('#escalate').isVisible(), 'no escalation panel after No (no JS)');
  const text = await page.locator('#feedback-status').textContent();
  assert(/Thanks/.test(text), 'no thanks message: ' + text);
  const href = await page.locator('#escalate-link').getAttribute('href');
  assert(decodeURIComponent(href).includes('reset skylark password'), 'query not in support link');
  await shot(page, 'nojs-feedback.png');
  await done(page);
});

scenario('phone layout (390 and 360 px): no horizontal scrolling', async () => {
  for (const width of [390, 360]) {
    const page = await newPage({ viewport: { width, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    for (const path of ['/', '/search?q=sync', '/a/sso-saml-setup', '/contact?q=sync']) {
      await page.goto(BASE + path);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 0, `${path} at ${width}px overflows by ${over}px`);
    }
    if (width === 390) {
      await page.goto(BASE + '/');
      await shot(page, 'phone-home.png');
      await page.goto(BASE + '/a/reset-password');
      await shot(page, 'phone-article.png');
      await page.goto(BASE + '/search?q=sync+stuck');
      await shot(page, 'phone-search.png', false);
      await page.goto(BASE + '/');
      await shot(page, 'phone-home-top.png', false);
    }
    await done(page);
  }
});

// The critical and serious axe-core violations of the page at `url` (the
// page must bypass the CSP to load axe).
async function axeProblems(page, url) {
  await page.goto(url);
  await page.addScriptTag({ path: AXE });
  const v = await page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((x) => x.impact === 'critical' || x.impact === 'serious')
    .map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`));
  return v.map((x) => url.replace(BASE, '') + ' ' + x);
}

scenario('admin dashboard: charts and filters without JavaScript, inside the CSP', async () => {
  const month = '?from=2026-11-01&to=2026-11-30';
  for (const js of [false, true]) {
    const page = await newPage({ javaScriptEnabled: js,
      extraHTTPHeaders: { Authorization: 'Bearer ' + INTERNAL } });
    const resp = await page.goto(BASE + '/admin' + month);
    assert(resp.status() === 200, '/admin status ' + resp.status());
    const heights = await page.locator('svg.chart').evaluateAll((e) => e.map((x) => x.getBoundingClientRect().height));
    assert(heights.length === 6 && heights.every((h) => h > 40), 'charts not drawn: ' + heights);
    assert(await page.locator('svg.chart polyline').count() >= 8, 'no trend lines');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(over <= 0, `/admin overflows by ${over}px`);
    if (!js) {
      await shot(page, 'admin-overview.png');
      await page.locator('select[name=by]').selectOption('week');
      await Promise.all([page.waitForURL(/by=week/), page.locator('.admin-filter button').click()]);
      assert(await page.locator('caption', { hasText: 'By week' }).count() === 1, 'filter form did not apply');
    }
    for (const path of ['/admin/articles', '/admin/gaps']) {
      const r = await page.goto(BASE + path + month);
      assert(r.status() === 200, path + ' status ' + r.status());
    }
    assert(await page.locator('.admin-table tbody tr').count() >= 8, 'no content gaps');
    await done(page);
  }
  const page = await newPage();
  assert((await page.goto(BASE + '/admin')).status() === 401, 'public caller reached /admin');
  await page.context().close();
  const a11y = await newPage({ bypassCSP: true, extraHTTPHeaders: { Authorization: 'Bearer ' + INTERNAL } });
  const found = [];
  for (const path of ['/admin', '/admin/articles', '/admin/gaps'])
    found.push(...await axeProblems(a11y, BASE + path + month));
  assert(found.length === 0, 'axe: ' + found.join(' | '));
  await done(a11y);
});

// Every <img> of the page loaded (none broken).
async function imagesLoaded(page) {
  return page.evaluate(() => [...document.querySelectorAll('.article img')]
    .every((i) => i.complete && i.naturalWidth > 0));
}

scenario('migrated article: a table, a callout, an image and a rewritten link', async () => {
  const page = await newPage();
  const resp = await page.goto(BASE + '/a/install-desktop-app');
  assert(resp.status() === 200, 'status ' + resp.status());
  assert(await page.locator('h1').count() === 1, 'not exactly one h1');
  const wrap = page.locator('.article .table-wrap[role=region][tabindex="0"]');
  assert(await wrap.count() === 1, 'no table region');
  assert(await wrap.locator('th[scope=col]').count() === 5, 'header cells without scope');
  assert(/System requirements/.test(await wrap.getAttribute('aria-label')), 'table region unlabelled');
  const callout = page.locator('.article .callout[role=note]');
  assert(await callout.count() === 1 && await callout.isVisible(), 'no callout');
  assert((await callout.locator('.callout-title').textContent()).startsWith('Tip'), 'callout label');
  const img = page.locator('.article img');
  assert(await img.count() === 1, 'no image');
  assert((await img.getAttribute('src')).startsWith('/media/'), 'image not on the media route');
  assert(await imagesLoaded(page), 'an image did not load');
  const body = await page.locator('.article .body').textContent();
  assert(!/\{\{|\{%|:::|\[!/.test(body), 'template noise on the page');
  await shot(page, 'desktop-article-platform.png');
  await page.locator('.article a', { hasText: 'sign in' }).click();
  await page.waitForLoadState();
  assert(/\/a\/.*jekyll\/sign-in$/.test(page.url()), 'link went to ' + page.url());
  assert((await page.locator('h1').textContent()) === 'Sign in to Skylark', 'wrong target page');
  await done(page);
});

scenario('DocFX article: alerts as callouts, :::image::: as an image, xref links', async () => {
  const page = await newPage();
  await page.goto(BASE + '/a/skylark.export-data');
  assert(await page.locator('.callout-note[role=note]').count() === 1, 'no NOTE callout');
  assert(await page.locator('.callout-warning[role=note]').count() === 1, 'no WARNING callout');
  assert(await page.locator('.article img[src*="export-dialog.svg"]').count() === 1, 'no :::image:::');
  assert(await imagesLoaded(page), 'the SVG did not load');
  const xref = page.locator('.article a[href="/a/skylark.import-data#before-you-start"]');
  assert(await xref.count() === 1, 'xref autolink not rewritten');
  assert((await xref.textContent()) === 'Import data from another tool', 'xref text is not the title');
  await done(page);
});

scenario('phone (390 px): a wide table scrolls in its region, the page does not', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await page.goto(BASE + '/a/install-desktop-app');
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(over <= 0, `the page overflows by ${over}px`);
  const wrap = page.locator('.table-wrap');
  const [sw, cw] = await wrap.evaluate((e) => [e.scrollWidth, e.clientWidth]);
  assert(sw > cw, `the table does not scroll inside its region (${sw} <= ${cw})`);
  await wrap.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  // Keyboard scrolling may be animated: wait for it, up to 3 s.
  const moved = await page.waitForFunction(() => document.querySelector('.table-wrap').scrollLeft > 0,
    null, { timeout: 3000 }).then(() => true, () => false);
  assert(moved, 'arrow keys do not scroll the focused table');
  await shot(page, 'phone-article-table.png');
  // The table of contents is collapsed on a phone, open on a desktop.
  await page.goto(BASE + '/a/account-locked');
  assert(await page.locator('nav.toc details').evaluate((d) => !d.open), 'TOC open on a phone');
  await done(page);
  const desk = await newPage();
  await desk.goto(BASE + '/a/account-locked');
  assert(await desk.locator('nav.toc details').evaluate((d) => d.open), 'TOC closed on a desktop');
  await done(desk);
});

scenario('escaping: a <script> query is shown as text, CSP blocks nothing', async () => {
  const page = await newPage();
  let dialog = false;
  page.on('dialog', async (d) => { dialog = true; await d.dismiss(); });
  await page.goto(BASE + '/search?q=' + encodeURIComponent('<script>alert(1)</script><img src=x onerror=alert(2)>'));
  const h1 = await page.locator('#results-h').textContent();
  assert(h1.includes('<script>alert(1)</script>'), 'h1: ' + h1);
  assert(await page.locator('main img').count() === 0, 'an <img> was injected');
  assert(!dialog, 'a dialog opened');
  await done(page);
});

scenario('browse: category and section pages in the writers\' order, breadcrumbs', async () => {
  const page = await newPage();
  await page.goto(BASE + '/');
  const cats = await page.locator('#categories-h + ul .card-title').allTextContents();
  assert(cats[0] === 'Getting started' && cats[1] === 'Files and sync', 'categories: ' + cats.join(', '));
  assert(!cats.includes('Support desk'), 'an agent-only category is listed for the public');
  await page.locator('#categories-h + ul a.card').first().click();
  await page.waitForURL(/\/c\/getting-started$/);
  assert(await page.locator('h1').textContent() === 'Getting started', 'category h1');
  const crumbs = await page.locator('nav[aria-label=Breadcrumb] li').allTextContents();
  assert(crumbs.join(' > ') === 'Home > Getting started', 'category crumbs: ' + crumbs.join(' > '));
  const secs = await page.locator('#sections-h + ul .card-title').allTextContents();
  assert(secs.join('|') === 'Install and set up|Your account', 'sections: ' + secs.join('|'));
  await shot(page, 'desktop-category.png');
  await page.locator('#sections-h + ul a.card', { hasText: 'Your account' }).click();
  await page.waitForURL(/\/c\/getting-started\/your-account$/);
  const c2 = await page.locator('nav[aria-label=Breadcrumb] li').allTextContents();
  assert(c2.join(' > ') === 'Home > Getting started > Your account', 'section crumbs: ' + c2.join(' > '));
  assert(await page.locator('main .list li a').count() >= 5, 'section lists too few articles');
  await shot(page, 'desktop-section.png');
  await page.locator('main .list li a', { hasText: 'Reset your Skylark password' }).click();
  await page.waitForURL(/\/a\/reset-password$/);
  const c3 = await page.locator('nav[aria-label=Breadcrumb] li').allTextContents();
  assert(c3.length === 4 && c3[2] === 'Your account', 'article crumbs: ' + c3.join(' > '));
  assert(await page.locator('nav.more li a').count() >= 3, 'no "More in this section"');
  await done(page);
});

scenario('browse on a phone (390 px): category and section pages fit', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  for (const path of ['/c/files-and-sync', '/c/files-and-sync/sync', '/c/developers']) {
    const resp = await page.goto(BASE + path);
    assert(resp.status() === 200, path + ': ' + resp.status());
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(over <= 0, `${path} at 390px overflows by ${over}px`);
  }
  await page.goto(BASE + '/c/files-and-sync');
  await shot(page, 'phone-category.png');
  await page.goto(BASE + '/c/files-and-sync/sync');
  await shot(page, 'phone-section.png');
  await done(page);
});

scenario('axe-core: no critical or serious violation on home, search, category, section, article', async () => {
  // axe is injected as a script: the page's CSP (script-src 'self') is
  // bypassed for this context only.
  const page = await newPage({ bypassCSP: true });
  const found = [];
  for (const path of ['/', '/search?q=sync', '/search?q=qqqnothingqqq', '/c/getting-started',
    '/c/getting-started/your-account', '/a/reset-password', '/a/sso-saml-setup',
    '/contact?q=sync+stuck']) {
    found.push(...await axeProblems(page, BASE + path));
  }
  assert(found.length === 0, found.join(' | '));
  await done(page);
});

// ---- Agents (docs/agents.md): sign-in, the known-issue console ----------

const TRACE = 'AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application';

async function signIn(page, next = '/agent/console') {
  await page.goto(BASE + '/signin?next=' + encodeURIComponent(next));
  assert(await page.evaluate(() => document.activeElement.id) === 'token', 'token field not focused');
  await page.locator('#token').fill(TOKEN);
  await Promise.all([page.waitForNavigation(), page.locator('.signin button[type=submit]').click()]);
}

async function lookUp(page, text, version = '') {
  await page.locator('#paste').fill(text);
  await page.locator('#version').fill(version);
  await Promise.all([page.waitForNavigation(), page.locator('.console-form button[type=submit]').click()]);
}

const cardIds = (page) => page.$$eval('.ki-card h3 a', (as) => as.map((a) => a.getAttribute('href').replace('/a/', '')));

scenario('agents: sign in, see an agent section an anonymous visitor cannot', async () => {
  const page = await newPage();
  await signIn(page, '/a/account-locked');
  assert(new URL(page.url()).pathname === '/a/account-locked', 'landed on ' + page.url());
  const heading = page.locator('h2', { hasText: 'Agent notes' });
  assert(await heading.count() === 1, 'no agent section');
  assert(await heading.locator('.aud-badge').textContent() === 'Agents only', 'agent section not marked');
  assert(await page.locator('#agent-bar').count() === 1, 'no agent bar');
  const cookies = await page.context().cookies();
  const sid = cookies.find((c) => c.name === 'hdx_session');
  assert(sid && sid.httpOnly && sid.sameSite === 'Lax' && sid.path === '/', 'cookie: ' + JSON.stringify(sid));
  assert(await page.evaluate(() => document.cookie).then((c) => !c.includes('hdx_session')), 'session cookie readable by script');
  const anon = await newPage();
  await anon.goto(BASE + '/a/account-locked');
  assert(await anon.locator('h2', { hasText: 'Agent notes' }).count() === 0, 'anonymous sees the agent section');
  assert(await anon.locator('.aud-badge, #agent-bar').count() === 0, 'anonymous sees agent marks');
  await shot(page, 'agent-article.png');
  await done(anon);
  await done(page);
});

scenario('agents: console without sign-in goes to the sign-in page', async () => {
  const page = await newPage();
  await page.goto(BASE + '/agent/console');
  assert(new URL(page.url()).pathname === '/signin', 'at ' + page.url());
  await done(page);
});

scenario('agents: paste a trace, the right incident first with its resolution (keyboard)', async () => {
  const page = await newPage();
  await signIn(page);
  assert(await page.evaluate(() => document.activeElement.id) === 'paste', 'paste box not focused');
  await page.keyboard.insertText('2026-04-08 10:00:01 ERROR saml: sign-in failed\n' + TRACE + '\nTrace ID: 5a0c7f12');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
  const ids = await cardIds(page);
  assert(ids[0] === 'INC-2072', 'order: ' + ids.join(', '));
  const first = page.locator('.ki-card').first();
  assert(await first.locator('.ki-resolution').textContent().then((t) => t.includes('legacy workspaces switched back')), 'no resolution');
  assert(await first.locator('.ki-ids mark').first().textContent() === 'aadsts50011', 'identifier not highlighted');
  // Results are navigable: the first is focused, j moves on, k back.
  assert(await page.evaluate(() => document.activeElement.id) === 'card-1', 'first result not focused');
  await page.keyboard.press('j');
  assert(await page.evaluate(() => document.activeElement.id) === 'card-2', 'j does not move');
  await page.keyboard.press('k');
  assert(await page.evaluate(() => document.activeElement.id) === 'card-1', 'k does not move back');
  await shot(page, 'agent-console.png');
  await done(page);
});

scenario('agents: the customer\'s version changes the marks and the order', async () => {
  const page = await newPage();
  await signIn(page);
  const paste = 'Sync service crashed: exception 0xC0000005\nError 0x8007016A: The cloud file provider is not running';
  await lookUp(page, paste, '5.2.1');
  let ids = await cardIds(page);
  assert(ids.indexOf('INC-2045') < ids.indexOf('INC-2040'), '5.2.1: ' + ids.join(', '));
  const c2040 = page.locator('.ki-card', { has: page.locator('a[href="/a/INC-2040"]') });
  assert((await c2040.locator('.ki-fit').textContent()).includes('Fixed in 5.1.4 — the customer should not see this'), 'no fixed mark');
  await lookUp(page, paste, '5.1.2');
  ids = await cardIds(page);
  assert(ids.indexOf('INC-2040') < ids.indexOf('INC-2045'), '5.1.2: ' + ids.join(', '));
  assert((await c2040.locator('.ki-fit').textContent()) === 'Fixed in 5.1.4: upgrade', 'no upgrade mark');
  await done(page);
});

scenario('agents: Copy answer holds no agent text; internal notes are apart', async () => {
  const page = await newPage();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await signIn(page);
  await lookUp(page, TRACE);
  const first = page.locator('.ki-card').first();
  await first.locator('.copy-btn:not(.copy-internal)').click();
  await page.waitForFunction(() => document.querySelector('.ki-card .copy-btn').textContent === 'Copied', null, { timeout: 3000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert(copied.includes('/a/sso-troubleshooting'), 'answer: ' + copied);
  assert(!/INC-2072|PRB-133|legacy workspaces|Agents only/.test(copied), 'agent text in the answer: ' + copied);
  // Every line but the links is on the public pages, as an anonymous visitor sees them.
  const anon = await newPage();
  let pub = '';
  for (const m of copied.matchAll(/\/a\/([a-z0-9-]+)/g)) {
    await anon.goto(BASE + '/a/' + m[1]);
    pub += await anon.locator('body').innerText() + await anon.locator('meta[name=description]').getAttribute('content');
  }
  for (const line of copied.split('\n').filter((l) => l && !l.includes('://'))) assert(pub.includes(line), 'not public: ' + line);
  await done(anon);
  await first.locator('.copy-internal').click();
  const notes = await page.evaluate(() => navigator.clipboard.readText());
  assert(notes.includes('INC-2072') && notes.includes('legacy workspaces'), 'notes: ' + notes);
  assert(/Internal notes/.test(await first.locator('.copy-box.internal label').textContent()), 'internal notes not labelled');
  await done(page);
});

scenario('agents: the console on a phone (390 px) does not scroll sideways', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await signIn(page);
  await lookUp(page, 'Sync service crashed: exception 0xC0000005\n' + TRACE, '5.2.1');
  assert(await page.locator('.ki-card').count() >= 3, 'no results');
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(over <= 0, `console at 390px overflows by ${over}px`);
  const wide = await page.$$eval('.ki-card', (cs) => cs.filter((c) => c.getBoundingClientRect().right > 390 + 1).length);
  assert(wide === 0, `${wide} result cards wider than the screen`);
  await shot(page, 'phone-agent-console.png', false);
  await done(page);
});

scenario('agents: a cross-site form post is refused', async () => {
  const page = await newPage();
  await signIn(page);
  // Another site ("localhost" is not "127.0.0.1") posts to the console.
  const other = BASE.replace('127.0.0.1', 'localhost');
  await page.goto(other + '/robots.txt');
  await page.setContent(`<form method="post" action="${BASE}/agent/console"><input name="text" value="${TRACE}"><button>go</button></form>`);
  await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
  const html = await page.content();
  assert(!html.includes('INC-2072'), 'the cross-site post was answered');
  assert(new URL(page.url()).pathname === '/signin' || /Form refused/.test(html), 'at ' + page.url());
  await page.context().close();
});

scenario('agents: the cache never mixes levels; sign out and lose access', async () => {
  const page = await newPage();
  const anon = await newPage();
  await signIn(page);
  for (let i = 0; i < 3; i++) {
    await anon.goto(BASE + '/search?q=refund+handling');
    assert(await anon.locator('a[href="/a/agent-refund-handling"]').count() === 0, 'anonymous got an agent article');
    const r = await page.goto(BASE + '/api/search?q=refund+handling');
    assert((await r.text()).includes('agent-refund-handling'), 'agent lost the agent article');
    const a = await anon.goto(BASE + '/api/search?q=refund+handling');
    assert(!(await a.text()).includes('agent-refund-handling'), 'cached agent answer served anonymously');
  }
  await page.goto(BASE + '/a/account-locked');
  await Promise.all([page.waitForNavigation(), page.locator('#agent-bar button[type=submit]').click()]);
  assert(/signed out/i.test(await page.locator('main').innerText()), 'no signed-out notice');
  await page.goto(BASE + '/a/account-locked');
  assert(await page.locator('h2', { hasText: 'Agent notes' }).count() === 0, 'agent section still visible');
  await page.goto(BASE + '/agent/console');
  assert(new URL(page.url()).pathname === '/signin', 'console still open at ' + page.url());
  await done(anon);
  await done(page);
});

proxyScenarios(scenario, { newPage, done, assert }); // behind nginx (proxy.mjs)

let passed = 0, failed = 0;
for (const s of scenarios) {
  const t0 = Date.now();
  try {
    const note = await s.fn(); // a string: the scenario did not apply
    if (typeof note === 'string') {
      console.log(`skip ${s.name}: ${note}`);
      continue;
    }
    passed++;
    console.log(`ok   ${s.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${s.name}: ${e.message.split('\n')[0]}`);
  }
}
await browser.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
