// The Meilisearch-compatible API (docs/meilisearch.md) through the official
// `meilisearch` npm client: every assertion is on what the client parsed.
// Run by tests/meili/run.sh with HDX_MEILI (the API's base URL) and the
// agent and internal tokens of the server it started.
import assert from "node:assert/strict";
import { Meilisearch, MeilisearchApiError } from "meilisearch";

const host = process.env.HDX_MEILI;
const agentKey = process.env.HDX_TOKEN;
const internalKey = process.env.HDX_INTERNAL_TOKEN;
const pub = new Meilisearch({ host });
const agent = new Meilisearch({ host, apiKey: agentKey });
const internal = new Meilisearch({ host, apiKey: internalKey });

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// The API error a call fails with (the client's MeilisearchApiError).
async function apiError(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof MeilisearchApiError, `not an API error: ${e}`);
    return e;
  }
  assert.fail("the call succeeded");
}

test("health, version and the index list", async () => {
  assert.equal(await pub.isHealthy(), true);
  assert.match((await pub.getVersion()).pkgVersion, /^\d+\.\d+\.\d+$/);
  const list = await pub.getIndexes();
  assert.deepEqual(list.results.map((i) => i.uid).sort(),
                   ["all", "articles", "faq", "incidents"]);
  const info = await pub.getIndex("articles");
  assert.equal(info.uid, "articles");
  assert.equal(info.primaryKey, "id");
});

test("search finds the password article first", async () => {
  const r = await pub.index("all").search("reset password");
  assert.equal(r.hits[0].id, "reset-password");
  assert.equal(r.query, "reset password");
  assert.equal(typeof r.processingTimeMs, "number");
  assert.ok(r.estimatedTotalHits >= r.hits.length && r.hits.length > 0);
  assert.equal(r.hits[0].url, "/a/reset-password");
  assert.ok(!("content" in r.hits[0]), "the body text is not displayed");
});

test("GET search (searchGet) answers as POST does", async () => {
  const opts = { limit: 3, facets: ["product"], filter: "type = article" };
  const a = await pub.index("all").search("sync", opts);
  const b = await pub.index("all").searchGet("sync", opts);
  assert.deepEqual(b.hits.map((h) => h.id), a.hits.map((h) => h.id));
  assert.deepEqual(b.facetDistribution, a.facetDistribution);
});

test("index uids are document types", async () => {
  const faq = await pub.index("faq").search("", { limit: 50 });
  assert.ok(faq.hits.length > 0);
  assert.ok(faq.hits.every((h) => h.type === "faq"));
  const inc = await agent.index("incidents").search("", { limit: 50 });
  assert.ok(inc.hits.length > 0 && inc.hits.every((h) => h.type === "incident"));
});

test("filters: string, arrays, IN, !=, NOT and date ranges", async () => {
  const ix = pub.index("all");
  const web = await ix.search("", { filter: "product = web AND type = article",
                                    limit: 100 });
  assert.ok(web.hits.length > 3);
  assert.ok(web.hits.every((h) => h.product === "web" && h.type === "article"));
  const two = await ix.search("", { filter: [["product = web", "product = mobile"],
                                             "type != faq"], limit: 100 });
  assert.ok(two.hits.some((h) => h.product === "mobile"));
  assert.ok(two.hits.every((h) => ["web", "mobile"].includes(h.product) &&
                                  h.type !== "faq"));
  const inList = await ix.search("", { filter: "product IN [web, mobile] AND NOT type = faq",
                                       limit: 100 });
  assert.deepEqual(inList.hits.map((h) => h.id).sort(), two.hits.map((h) => h.id).sort());
  const range = await ix.search("", { filter: "updated 2026-02-01 TO 2026-03-31",
                                      limit: 100 });
  assert.ok(range.hits.length > 0);
  assert.ok(range.hits.every((h) => h.updated >= "2026-02-01" && h.updated <= "2026-03-31"));
  const after = await ix.search("", { filter: "updated > 2026-06-30", limit: 100 });
  assert.ok(after.hits.length > 0 && after.hits.every((h) => h.updated > "2026-06-30"));
  const tags = await ix.search("", { filter: '"tags" = "sync"', limit: 100 });
  assert.ok(tags.hits.length > 0 && tags.hits.every((h) => h.tags.includes("sync")));
});

test("facets count what the filter leaves", async () => {
  const r = await pub.index("all").search("", { facets: ["product", "tags", "type"],
                                                limit: 0 });
  const d = r.facetDistribution;
  assert.ok(d.product.web > 0 && d.type.article > 0 && Object.keys(d.tags).length > 0);
  const sum = Object.values(d.type).reduce((a, b) => a + b, 0);
  assert.equal(sum, r.estimatedTotalHits, "every document has one type");
  const f = await pub.index("all").search("", { facets: ["product"],
                                                filter: "product = mobile", limit: 0 });
  assert.deepEqual(Object.keys(f.facetDistribution.product), ["mobile"]);
  assert.equal(f.facetDistribution.product.mobile, f.estimatedTotalHits);
});

test("sort updated:desc", async () => {
  const r = await pub.index("articles").search("", { sort: ["updated:desc"], limit: 20 });
  const dates = r.hits.map((h) => h.updated);
  assert.deepEqual(dates, [...dates].sort().reverse());
});

test("pagination with offset/limit and with page/hitsPerPage", async () => {
  const ix = pub.index("all");
  const all = await ix.search("account", { limit: 6 });
  const p1 = await ix.search("account", { offset: 0, limit: 3 });
  const p2 = await ix.search("account", { offset: 3, limit: 3 });
  assert.deepEqual([...p1.hits, ...p2.hits].map((h) => h.id), all.hits.map((h) => h.id));
  assert.equal(p2.offset, 3);
  assert.equal(p2.limit, 3);
  const pg = await ix.search("account", { page: 2, hitsPerPage: 3 });
  assert.deepEqual(pg.hits.map((h) => h.id), p2.hits.map((h) => h.id));
  assert.equal(pg.page, 2);
  assert.equal(pg.hitsPerPage, 3);
  assert.equal(pg.totalHits, all.estimatedTotalHits);
  assert.equal(pg.totalPages, Math.ceil(pg.totalHits / 3));
  assert.ok(!("estimatedTotalHits" in pg));
});

test("highlighting, cropping and match positions", async () => {
  const r = await pub.index("all").search("password", {
    attributesToHighlight: ["title"], highlightPreTag: "<b>", highlightPostTag: "</b>",
    attributesToCrop: ["summary"], cropLength: 4, cropMarker: "[…]",
    showMatchesPosition: true, limit: 1 });
  const h = r.hits[0];
  assert.equal(h.id, "reset-password");
  assert.equal(h._formatted.title, "Reset your Skylark <b>password</b>");
  const crop = h._formatted.summary;
  assert.ok(crop.endsWith("[…]"), crop);
  assert.ok(crop.replace("[…]", "").trim().split(/\s+/).length <= 4, crop);
  assert.ok(crop.includes("password"), crop);
  const pos = h._matchesPosition.title[0];
  assert.equal(h.title.substr(pos.start, pos.length), "password");
});

test("matchingStrategy all drops documents missing a word", async () => {
  const ix = pub.index("all");
  const last = await ix.search("password qqqnowhereqqq");
  const all = await ix.search("password qqqnowhereqqq", { matchingStrategy: "all" });
  assert.ok(last.hits.length > 0);
  assert.equal(all.hits.length, 0);
});

test("multi-search answers each query in order", async () => {
  const r = await pub.multiSearch({ queries: [
    { indexUid: "faq", q: "password", limit: 2 },
    { indexUid: "articles", q: "sync", filter: "product = desktop", facets: ["tags"] }] });
  assert.equal(r.results.length, 2);
  assert.equal(r.results[0].indexUid, "faq");
  assert.ok(r.results[0].hits.every((h) => h.type === "faq"));
  assert.ok(r.results[1].hits.every((h) => h.product === "desktop"));
  assert.ok(r.results[1].facetDistribution.tags);
});

test("facet search for a searchable facet list", async () => {
  const r = await pub.index("all").searchForFacetValues({ facetName: "tags",
                                                          facetQuery: "acc" });
  assert.ok(r.facetHits.length > 0);
  assert.ok(r.facetHits.every((f) => f.value.startsWith("acc") && f.count > 0));
  assert.equal(r.facetQuery, "acc");
});

test("errors have Meilisearch's shape and codes", async () => {
  let e = await apiError(pub.index("nope").search("x"));
  assert.equal(e.response.status, 404);
  assert.equal(e.cause.code, "index_not_found");
  assert.equal(e.cause.type, "invalid_request");
  assert.match(e.cause.link, /index_not_found$/);
  e = await apiError(pub.index("all").search("x", { filter: "title = x" }));
  assert.equal(e.response.status, 400);
  assert.equal(e.cause.code, "invalid_search_filter");
  assert.match(e.cause.message, /`title`/);
  e = await apiError(pub.index("all").search("x", { filter: "product = (" }));
  assert.equal(e.cause.code, "invalid_search_filter");
  e = await apiError(pub.index("all").search("x", { limit: "ten" }));
  assert.equal(e.cause.code, "invalid_search_limit");
  e = await apiError(pub.index("all").search("x", { hybrid: { embedder: "x" } }));
  assert.equal(e.cause.code, "invalid_search_hybrid_query");
  e = await apiError(pub.index("all").search("x", { sort: ["title:asc"] }));
  assert.equal(e.cause.code, "invalid_search_sort");
  e = await apiError(pub.index("all").search("x", { facets: ["status"] }));
  assert.equal(e.cause.code, "invalid_search_facets");
  e = await apiError(pub.multiSearch({ queries: [{ indexUid: "all", q: "a" },
                                                 { indexUid: "gone", q: "b" }] }));
  assert.equal(e.cause.code, "index_not_found");
  assert.match(e.cause.message, /queries\[1\]/);
});

test("keys: an unknown key is refused, levels decide what is found", async () => {
  const bad = new Meilisearch({ host, apiKey: "not-a-key-0123456789" });
  const e = await apiError(bad.index("all").search("password"));
  assert.equal(e.response.status, 403);
  assert.equal(e.cause.code, "invalid_api_key");
  assert.equal(e.cause.type, "auth");
  // An agent article and an internal incident, by their unique words.
  const ag = "marmaladevortex", inc = "zanzibarquokka";
  assert.equal((await pub.index("all").search(ag)).hits.length, 0);
  assert.equal((await pub.index("all").search(ag)).estimatedTotalHits, 0);
  assert.ok((await agent.index("all").search(ag)).hits
    .some((h) => h.id === "agent-identity-verification"));
  assert.equal((await agent.index("all").search(inc)).hits.length, 0);
  assert.ok((await internal.index("incidents").search(inc)).hits
    .some((h) => h.id === "INC-2086"));
  const pubCount = (await pub.index("all").search("", { limit: 0 })).estimatedTotalHits;
  const agCount = (await agent.index("all").search("", { limit: 0 })).estimatedTotalHits;
  assert.ok(agCount > pubCount, `${agCount} > ${pubCount}`);
});

let passed = 0, failed = 0;
for (const t of tests) {
  try {
    await t.fn();
    passed++;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${t.name}\n${e.stack || e}`);
  }
}
console.log(`clients: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
