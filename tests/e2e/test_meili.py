"""The Meilisearch-compatible API under /meili/ (docs/meilisearch.md):
response shapes, errors in Meilisearch's shape with its status codes,
CORS, keys, and that a search there is the native search (same hits, same
totals) for the same words.  The official clients are exercised by
tests/meili/ (make check-meili); this checks the wire format itself.
"""
import datetime
import json

import pytest

from conftest import AGENT_TOKEN

JSON = {"Content-Type": "application/json"}


def post(server, path, body, token=None, headers=None):
    data = body if isinstance(body, str) else json.dumps(body)
    s, b, h = server.request("POST", "/meili" + path, body=data, token=token,
                             headers=dict(JSON, **(headers or {})))
    return s, b, h


def get(server, path, params=None, token=None):
    s, b, h = server.request("GET", "/meili" + path, params, token)
    return s, b, h


def meili_error(b, code):
    assert set(b) == {"message", "code", "type", "link"}, b
    assert b["code"] == code, b
    assert b["link"] == "https://docs.meilisearch.com/errors#" + code
    return b


def test_search_shape_offset_limit(server):
    s, b, h = post(server, "/indexes/all/search", {"q": "password",
                                                  "limit": 3})
    assert s == 200
    assert set(b) == {"hits", "query", "processingTimeMs", "limit",
                      "offset", "estimatedTotalHits"}
    assert b["query"] == "password" and b["limit"] == 3 and b["offset"] == 0
    assert len(b["hits"]) == 3
    assert set(b["hits"][0]) == {"id", "title", "summary", "type",
                                 "product", "tags", "updated", "locale",
                                 "status", "category", "path", "url"}
    assert h["Access-Control-Allow-Origin"] == "*"


def day_seconds(d):
    return int(datetime.datetime.strptime(d, "%Y-%m-%d").replace(
        tzinfo=datetime.timezone.utc).timestamp())


def test_facet_stats_of_updated(server):
    """facetStats.updated: the earliest and latest date of the matches,
    as Unix seconds (Meilisearch's numbers); the filter takes them back."""
    s, b, _ = post(server, "/indexes/all/search",
                   {"q": "sync", "limit": 1000, "facets": ["updated"]})
    assert s == 200 and b["facetDistribution"] == {}
    dates = sorted(h["updated"] for h in b["hits"] if h.get("updated"))
    assert len(dates) > 2 and b["estimatedTotalHits"] == len(b["hits"])
    assert b["facetStats"] == {"updated": {"min": day_seconds(dates[0]),
                                           "max": day_seconds(dates[-1])}}
    # A range slider's numbers filter as the dates do.
    lo, hi = dates[1], dates[-2]
    by_date = post(server, "/indexes/all/search", {
        "q": "sync", "limit": 1000,
        "filter": "updated %s TO %s" % (lo, hi)})[1]
    by_secs = post(server, "/indexes/all/search", {
        "q": "sync", "limit": 1000,
        "filter": "updated %d TO %d" % (day_seconds(lo), day_seconds(hi))})[1]
    assert [h["id"] for h in by_secs["hits"]] == \
        [h["id"] for h in by_date["hits"]]
    assert all(lo <= h["updated"] <= hi for h in by_date["hits"])
    # Asked for every facet: counts and the stats.
    b = post(server, "/indexes/all/search", {"q": "sync", "facets": ["*"]})[1]
    assert set(b["facetDistribution"]) == {"product", "tags", "type"}
    assert set(b["facetStats"]) == {"updated"}


def test_search_shape_pages(server):
    s, b, _ = post(server, "/indexes/all/search", {"q": "password",
                                                  "page": 2,
                                                  "hitsPerPage": 4})
    assert s == 200
    assert set(b) == {"hits", "query", "processingTimeMs", "hitsPerPage",
                      "page", "totalPages", "totalHits"}
    assert b["totalPages"] == -(-b["totalHits"] // 4)
    s, b0, _ = post(server, "/indexes/all/search", {"q": "password",
                                                   "page": 0})
    assert s == 200 and b0["hits"] == [] and b0["totalHits"] == b["totalHits"]


def test_same_hits_and_total_as_the_native_search(server):
    for q, native_params, filt in [
            ("sync", {}, None),
            ("password", {"product": "web"}, "product = web"),
            ("error", {"type": "faq"}, "type = faq"),
            ("account", {"tag": "security"}, "tags = security")]:
        native = server.search(q, per_page=10, **native_params)
        s, b, _ = post(server, "/indexes/all/search",
                       {"q": q, "limit": 10, "filter": filt})
        assert s == 200, b
        assert [h["id"] for h in b["hits"]] == \
            [h["id"] for h in native["hits"]], q
        assert b["estimatedTotalHits"] == native["total"], q


def test_get_search_reads_the_query_string(server):
    s, b, _ = get(server, "/indexes/articles/search", {
        "q": "sync", "limit": "2", "offset": "1", "facets": "product,type",
        "attributesToRetrieve": "id,type", "filter": "type = article",
        "showMatchesPosition": "true"})
    assert s == 200, b
    assert b["limit"] == 2 and b["offset"] == 1
    assert all(set(h) <= {"id", "type", "_matchesPosition"}
               for h in b["hits"])
    assert set(b["facetDistribution"]) == {"product", "type"}
    assert list(b["facetDistribution"]["type"]) == ["article"]


def test_highlight_and_crop(server):
    s, b, _ = post(server, "/indexes/all/search", {
        "q": "password", "limit": 1, "attributesToHighlight": ["*"],
        "attributesToCrop": ["content:6"], "cropMarker": "~",
        "highlightPreTag": "[", "highlightPostTag": "]"})
    assert s == 200
    f = b["hits"][0]["_formatted"]
    assert f["title"] == "Reset your Skylark [password]"
    assert "[password]" in f["tags"]
    words = f["content"].strip("~").split()
    assert len(words) <= 6 and "[password]" in f["content"], f["content"]
    assert "content" not in b["hits"][0]


def test_facet_search(server):
    s, b, _ = post(server, "/indexes/all/facet-search",
                   {"facetName": "product", "facetQuery": "mob"})
    assert s == 200, b
    assert [v["value"] for v in b["facetHits"]] == ["mobile"]
    assert b["facetHits"][0]["count"] > 0 and b["facetQuery"] == "mob"
    s, b, _ = post(server, "/indexes/all/facet-search", {"facetName": "title"})
    assert s == 400
    meili_error(b, "invalid_facet_search_facet_name")
    s, b, _ = post(server, "/indexes/all/facet-search", {"facetQuery": "a"})
    assert s == 400
    meili_error(b, "missing_facet_search_facet_name")


@pytest.mark.parametrize("body,code", [
    ({"q": 3}, "invalid_search_q"),
    ({"limit": -1}, "invalid_search_limit"),
    ({"offset": "1"}, "invalid_search_offset"),
    ({"hitsPerPage": 1.5}, "invalid_search_hits_per_page"),
    ({"filter": "locale = en"}, "invalid_search_filter"),
    ({"filter": {"a": 1}}, "invalid_search_filter"),
    ({"facets": ["summary"]}, "invalid_search_facets"),
    ({"sort": ["updated:asc"]}, "invalid_search_sort"),
    ({"attributesToRetrieve": "id"}, "invalid_search_attributes_to_retrieve"),
    ({"cropLength": "x"}, "invalid_search_crop_length"),
    ({"matchingStrategy": "frequency"}, "invalid_search_matching_strategy"),
    ({"showMatchesPosition": "yes"}, "invalid_search_show_matches_position"),
    ({"distinct": "product"}, "invalid_search_distinct"),
    ({"vector": [0.1, 0.2]}, "invalid_search_vector"),
    ({"attributesToSearchOn": ["title"]},
     "invalid_search_attributes_to_search_on"),
    ({"indexUid": "all"}, "bad_request"),
    ({"qq": "x"}, "bad_request"),
])
def test_bad_parameters(server, body, code):
    s, b, _ = post(server, "/indexes/all/search", body)
    assert s == 400, b
    assert meili_error(b, code)["type"] == "invalid_request"


def test_unsupported_parameters_at_their_no_op_value_are_accepted(server):
    s, b, _ = post(server, "/indexes/all/search", {
        "q": "sync", "distinct": None, "hybrid": None, "vector": [],
        "showRankingScoreDetails": False, "attributesToSearchOn": None})
    assert s == 200, b


def test_ranking_score(server):
    s, b, _ = post(server, "/indexes/all/search",
                   {"q": "password", "showRankingScore": True, "limit": 2})
    scores = [h["_rankingScore"] for h in b["hits"]]
    assert all(0 < x <= 1 for x in scores) and scores == sorted(scores)[::-1]


def test_request_errors(server):
    s, b, _ = post(server, "/indexes/all/search", "{not json")
    assert s == 400
    meili_error(b, "malformed_payload")
    s, b, _ = post(server, "/indexes/all/search", "x" * 40000)
    assert s == 413
    meili_error(b, "payload_too_large")
    s, b, _ = get(server, "/indexes/nope/search", {"q": "x"})
    assert s == 404
    meili_error(b, "index_not_found")
    s, b, _ = get(server, "/indexes/nope")
    assert s == 404
    meili_error(b, "index_not_found")
    s, b, _ = get(server, "/keys")
    assert s == 404
    meili_error(b, "not_found")
    s, b, _ = get(server, "/indexes/all/facet-search")
    assert s == 405
    meili_error(b, "method_not_allowed")
    s, b, _ = post(server, "/indexes/all", {})
    assert s == 405
    s, b, _ = post(server, "/multi-search", {"queries": [{"q": "x"}]})
    assert s == 400
    assert meili_error(b, "missing_index_uid")["message"].startswith(
        "Inside `.queries[0]`")
    s, b, _ = post(server, "/multi-search", {"queries": [],
                                             "federation": {}})
    assert s == 400


def test_keys(server):
    s, b, h = get(server, "/indexes/all/search", {"q": "x"},
                  token="wrong-token-0123456789abcdef")
    assert s == 403
    assert meili_error(b, "invalid_api_key")["type"] == "auth"
    assert h["Access-Control-Allow-Origin"] == "*"
    # Outside /meili/ an unknown token is still helpdex's own 401.
    s, b = server.get("/api/search", {"q": "x"},
                      token="wrong-token-0123456789abcdef")
    assert s == 401 and b["error"]["code"] == "unauthorized"
    s, pub, _ = get(server, "/indexes/incidents/search", {"q": ""})
    s2, agent, _ = get(server, "/indexes/incidents/search", {"q": ""},
                       token=AGENT_TOKEN)
    assert s == s2 == 200
    assert agent["estimatedTotalHits"] > pub["estimatedTotalHits"]


def test_cors_preflight(server):
    s, b, h = server.request("OPTIONS", "/meili/multi-search", headers={
        "Origin": "http://docs.example.test",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers":
            "authorization,content-type,x-meilisearch-client"})
    assert s == 204
    assert h["Access-Control-Allow-Origin"] == "*"
    assert "POST" in h["Access-Control-Allow-Methods"]
    allowed = h["Access-Control-Allow-Headers"].lower()
    for name in ("authorization", "content-type", "x-meilisearch-client"):
        assert name in allowed
    # Other endpoints still refuse OPTIONS.
    s, _, _ = server.request("OPTIONS", "/api/search")
    assert s == 405


def test_health_version_indexes(server):
    assert get(server, "/health")[1] == {"status": "available"}
    v = get(server, "/version")[1]
    assert set(v) == {"commitSha", "commitDate", "pkgVersion"}
    b = get(server, "/indexes")[1]
    assert [i["uid"] for i in b["results"]] == ["all", "articles", "faq",
                                                "incidents"]
    assert b["total"] == 4
    i = get(server, "/indexes/faq")[1]
    assert i["uid"] == "faq" and i["primaryKey"] == "id"


def test_docs_show_the_tested_instantsearch_page():
    """docs/meilisearch.md's page is tests/meili/instantsearch.html (which
    make check-meili runs in Chromium) with the host filled in."""
    import os
    import re
    from conftest import REPO
    doc = open(os.path.join(REPO, "docs", "meilisearch.md")).read()
    m = re.search(r"<!-- page:[^\n]*\n```html\n(.*?)```", doc, re.S)
    assert m, "no page block in docs/meilisearch.md"
    page = open(os.path.join(REPO, "tests", "meili",
                             "instantsearch.html")).read()
    assert m.group(1).replace("https://help.example.com", "HELPDEX") == page
