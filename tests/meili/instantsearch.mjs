// InstantSearch.js over @meilisearch/instant-meilisearch, pointed at
// helpdex, in Chromium (playwright-core).  The page (instantsearch.html)
// lives on another origin - a small static server started here on another
// port of 127.0.0.1, serving it and the libraries from node_modules - so
// every search is a real cross-origin request to helpdex (CORS preflight
// included), as from a documentation site embedding the widgets.  What the widgets show is
// checked against helpdex's own answers through the meilisearch client.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Meilisearch } from "meilisearch";

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.HDX_URL;
const mods = join(here, "node_modules");
const files = {
  "/favicon.ico": ["image/x-icon", ""],
  "/": ["text/html", readFileSync(join(here, "instantsearch.html"), "utf8")
    .replaceAll("HELPDEX", base)],
  "/lib/instantsearch.production.min.js": ["text/javascript",
    readFileSync(join(mods, "instantsearch.js/dist/instantsearch.production.min.js"))],
  "/lib/instant-meilisearch.js": ["text/javascript",
    readFileSync(join(mods, "@meilisearch/instant-meilisearch/dist/index.js"))],
  "/lib/meilisearch.js": ["text/javascript",
    readFileSync(join(mods, "meilisearch/dist/index.js"))],
};
// The documentation site.
const siteServer = createServer((req, res) => {
  const f = files[new URL(req.url, "http://x").pathname];
  res.writeHead(f ? 200 : 404, { "Content-Type": f ? f[0] : "text/plain" });
  res.end(f ? f[1] : "");
});
await new Promise((ok) => siteServer.listen(0, "127.0.0.1", ok));
const site = `http://127.0.0.1:${siteServer.address().port}`;
const api = new Meilisearch({ host: base + "/meili" }).index("all");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function openPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(site + "/");
  return { page, errors };
}

const ids = (page) => page.$$eval("#hits [data-id]", (as) => as.map((a) => a.dataset.id));
const statsText = (page) => page.textContent("#stats");

// Wait until the hits show `want` (an array of ids).
async function hitsAre(page, want) {
  await page.waitForFunction((w) => {
    const got = [...document.querySelectorAll("#hits [data-id]")].map((a) => a.dataset.id);
    return JSON.stringify(got) === JSON.stringify(w);
  }, want, { timeout: 10000 }).catch(() => {});
  assert.deepEqual(await ids(page), want);
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test("the first page shows helpdex's results and total", async ({ page }) => {
  const r = await api.search("", { hitsPerPage: 5, page: 1 });
  await hitsAre(page, r.hits.map((h) => h.id));
  assert.match(await statsText(page), new RegExp(`${r.totalHits} results`));
});

test("typing searches and highlights the title", async ({ page }) => {
  await page.fill("#searchbox input", "password");
  const r = await api.search("password", { hitsPerPage: 5, page: 1 });
  await hitsAre(page, r.hits.map((h) => h.id));
  const mark = await page.textContent("#hits .ais-Highlight-highlighted");
  assert.equal(mark.toLowerCase(), "password");
  assert.match(await statsText(page), new RegExp(`${r.totalHits} results`));
});

test("refining by product narrows hits and matches the facet count", async ({ page }) => {
  const all = await api.search("", { facets: ["product"], limit: 0 });
  const item = page.locator("#product .ais-RefinementList-item", { hasText: "mobile" });
  await item.waitFor();
  assert.equal(await item.locator(".ais-RefinementList-count").textContent(),
               String(all.facetDistribution.product.mobile));
  await item.locator("input").check();
  const r = await api.search("", { filter: [["product = mobile"]], hitsPerPage: 5, page: 1 });
  await hitsAre(page, r.hits.map((h) => h.id));
  const products = await page.$$eval("#hits .product", (s) => s.map((x) => x.textContent));
  assert.ok(products.length > 0 && products.every((p) => p === "mobile"), products);
});

test("searching the tags list uses facet search", async ({ page }) => {
  const facetSearch = page.waitForRequest((q) => q.url().endsWith("/facet-search"));
  await page.fill("#tags .ais-SearchBox-input", "sync");
  await facetSearch;
  const label = page.locator("#tags .ais-RefinementList-labelText", { hasText: "sync" });
  await label.first().waitFor();
  await label.first().click();
  const r = await api.search("", { filter: [['"tags"="sync"']], hitsPerPage: 5, page: 1 });
  await hitsAre(page, r.hits.map((h) => h.id));
});

test("paging shows helpdex's second page", async ({ page }) => {
  const first = await api.search("", { hitsPerPage: 5, page: 1 });
  await hitsAre(page, first.hits.map((h) => h.id));
  await page.click("#pagination .ais-Pagination-item--page >> text=2");
  const r = await api.search("", { hitsPerPage: 5, page: 2 });
  await hitsAre(page, r.hits.map((h) => h.id));
});

let passed = 0, failed = 0;
for (const t of tests) {
  const ctx = await openPage();
  try {
    await t.fn(ctx);
    assert.deepEqual(ctx.errors, [], "errors on the page");
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${t.name}\n${e.stack || e}`);
    const shots = process.env.ARTIFACTS;
    if (shots)
      await ctx.page.screenshot({ path: join(shots, `meili-${passed + failed}.png`) })
        .catch(() => {});
  }
  await ctx.page.close();
}
await browser.close();
siteServer.close();
console.log(`instantsearch: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
