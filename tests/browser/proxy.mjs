// The "behind nginx" scenarios: the installed helpdex under /help/ behind
// nginx with TLS (dist/nginx/helpdex.conf, a self-signed certificate),
// brought up by run.sh with tests/e2e/proxy_stack.py when nginx and
// openssl are installed.  HDX_TLS_URL is https://127.0.0.1:PORT/help;
// without it every scenario here is skipped.
const TLS = process.env.HDX_TLS_URL;
const TLS_TOKEN = process.env.HDX_TLS_TOKEN || '';
const PREFIX = '/help';

export function proxyScenarios(scenario, { newPage, done, assert }) {
  const tlsPage = () => newPage({ ignoreHTTPSErrors: true });
  const path = (page) => new URL(page.url()).pathname;

  scenario('behind nginx: the home page has its style sheet and script (suggestions)', async () => {
    if (!TLS) return 'nginx or openssl not installed';
    const page = await tlsPage();
    const resp = await page.goto(TLS + '/');
    assert(resp.status() === 200, 'status ' + resp.status());
    assert(new URL(page.url()).protocol === 'https:', 'not over TLS: ' + page.url());
    // Both only come from style.css: the skip link is moved off screen.
    const css = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('.skip'));
      return s.position + ' ' + s.left + ' ' + getComputedStyle(document.body).display;
    });
    assert(css === 'absolute -999px flex', 'style sheet not applied: ' + css);
    await page.locator('#q').pressSequentially('reset pass', { delay: 30 });
    await page.locator('#suggest a').first().waitFor({ timeout: 5000 });
    const links = await page.locator('#suggest a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert(links.length && links.every((h) => h.startsWith(PREFIX + '/a/')), 'suggestions: ' + links.join(', '));
    await done(page);
  });

  scenario('behind nginx: search, open an article, feedback is recorded', async () => {
    if (!TLS) return 'nginx or openssl not installed';
    const page = await tlsPage();
    await page.goto(TLS + '/');
    await page.locator('#q').fill('reset password');
    await Promise.all([page.waitForNavigation(), page.locator('#q').press('Enter')]);
    assert(path(page) === PREFIX + '/search', 'search at ' + page.url());
    const first = page.locator('ol.results li a').filter({ hasText: /password/i }).first();
    await Promise.all([page.waitForNavigation(), first.click()]);
    assert(path(page).startsWith(PREFIX + '/a/'), 'article at ' + page.url());
    const id = decodeURIComponent(path(page).slice((PREFIX + '/a/').length));
    await page.locator('#feedback-form button[value=yes]').click();
    await page.locator('#feedback-status:not([hidden])').waitFor({ timeout: 5000 });
    assert(/Thanks/.test(await page.locator('#feedback-status').textContent()), 'no thanks');
    const r = await page.request.get(TLS + '/api/feedback/stats', { headers: { Authorization: 'Bearer ' + TLS_TOKEN } });
    assert(r.status() === 200, 'stats status ' + r.status());
    const row = (await r.json()).articles.find((a) => a.article === id);
    assert(row && row.helpful >= 1, 'feedback for ' + id + ' not recorded');
    await done(page);
  });

  scenario('behind nginx: agent sign-in (Secure cookie, Path /help), sign out', async () => {
    if (!TLS) return 'nginx or openssl not installed';
    const page = await tlsPage();
    await page.goto(TLS + '/agent/console');
    assert(path(page) === PREFIX + '/signin', 'not sent to sign in: ' + page.url());
    await page.locator('#token').fill(TLS_TOKEN);
    await Promise.all([page.waitForNavigation(), page.locator('.signin button[type=submit]').click()]);
    assert(path(page) === PREFIX + '/agent/console', 'after sign-in at ' + page.url());
    const c = (await page.context().cookies()).find((k) => k.name === 'hdx_session');
    assert(c && c.secure && c.httpOnly && c.path === PREFIX, 'session cookie: ' + JSON.stringify(c));
    await Promise.all([page.waitForNavigation(), page.locator('#agent-bar button[type=submit]').click()]);
    assert(path(page) === PREFIX + '/signin', 'after sign-out at ' + page.url());
    assert(/signed out/i.test(await page.locator('main').innerText()), 'no signed-out notice');
    const left = (await page.context().cookies()).find((k) => k.name === 'hdx_session');
    assert(!left, 'session cookie kept');
    await done(page);
  });

  scenario('behind nginx: /help/go lands on the article, /help/api/search answers JSON', async () => {
    if (!TLS) return 'nginx or openssl not installed';
    const page = await tlsPage();
    await page.goto(TLS + '/go?a=reset-password&p=1&q=reset');
    assert(path(page) === PREFIX + '/a/reset-password', 'go landed at ' + page.url());
    assert(/password/i.test(await page.locator('h1').textContent()), 'not the article');
    const r = await page.goto(TLS + '/api/search?q=password');
    assert(r.status() === 200 && /json/.test(r.headers()['content-type']), 'api ' + r.status());
    const hits = (await r.json()).hits;
    assert(hits.length && hits[0].url.startsWith(PREFIX + '/a/'), 'hits: ' + JSON.stringify(hits[0]));
    await done(page);
  });
}
