"""The analytics reports: helpdex-report and the /admin dashboard read a
seeded month of sessions (build/tests/gen_month, which also writes its
ground truth, counted by the generator as it scripts each session) and
must find exactly those numbers; Markdown, CSV, JSON and the dashboard
agree; agents' traffic stays out of public numbers; every /admin route
refuses public callers and agents."""
import csv
import datetime
import io
import json
import os
import re
import sqlite3
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import (AGENT_TOKEN, BUILD, INTERNAL_TOKEN, REPO, SERVER,
                      Server)

REPORT = os.path.join(BUILD, "helpdex-report")
GEN = os.path.join(BUILD, "tests", "gen_month")
PERIOD = ["--from", "2026-11-01", "--to", "2026-11-30"]
AGENT_QUERY = "billing override internal"


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    d = tmp_path_factory.mktemp("analytics")
    db, truth = str(d / "analytics.sqlite"), str(d / "truth.json")
    subprocess.run([GEN, "--db", db, "--truth", truth], check=True,
                   timeout=60)
    with open(truth) as f:
        return db, json.load(f)


def report(db, *args, check=0, text=True):
    p = subprocess.run([REPORT, "--analytics-db", db, *PERIOD, *args],
                       capture_output=True, text=text, timeout=60)
    assert p.returncode == check, (p.returncode, p.stderr)
    return p.stdout


def report_json(db, *args):
    return json.loads(report(db, "--format", "json", *args))


def csv_tables(text):
    """The blank-line separated tables of --format csv, as row lists."""
    return [list(csv.reader(io.StringIO(t)))
            for t in text.replace("\r\n", "\n").strip("\n").split("\n\n")]


def expected_rates(t):
    return {
        "zero_result_rate": t["zero_result_searches"] / t["searches"],
        "no_click_rate": 1 - t["clicked_searches"]
        / t["searches_with_results"],
        "ctr": t["clicked_searches"] / t["searches_with_results"],
        "avg_click_position": t["position_sum"] / t["clicks_with_position"],
        "self_service_rate": t["self_service_sessions"]
        / t["active_sessions"],
        "escalation_rate": t["escalated_sessions"] / t["sessions"],
        "deflection_rate": t["deflected_sessions"] / t["contact_sessions"],
    }


COUNTS = ["sessions", "searches", "zero_result_searches",
          "searches_with_results", "clicked_searches", "clicks",
          "active_sessions", "self_service_sessions", "escalated_sessions",
          "contact_sessions", "deflected_sessions"]


RATES = ["zero_result_rate", "no_click_rate", "ctr", "avg_click_position",
         "self_service_rate", "escalation_rate", "deflection_rate"]


def family_cluster(gaps, fam):
    want = set(fam["variants"])
    found = [g for g in gaps if set(g["variants"]) == want]
    assert len(found) == 1, (fam, [g["variants"] for g in gaps])
    return found[0]


def test_the_month_is_the_same_every_time(month, tmp_path):
    """The generator is seeded: a second store has the same report."""
    db, truth = month
    again, t2 = str(tmp_path / "again.sqlite"), str(tmp_path / "t2.json")
    subprocess.run([GEN, "--db", again, "--truth", t2], check=True,
                   timeout=60)
    with open(t2) as f:
        assert json.load(f) == truth
    assert report(again, "--format", "csv") == report(db, "--format", "csv")
    other = str(tmp_path / "other.sqlite")
    subprocess.run([GEN, "--db", other, "--seed", "7"], check=True,
                   timeout=60)
    assert report(other, "--format", "csv") != report(db, "--format", "csv")


def test_totals_are_the_generated_month(month):
    db, truth = month
    r = report_json(db)
    assert r["period"] == {"from": "2026-11-01", "to": "2026-11-30",
                           "by": "day", "audience": "public",
                           "product": None, "locale": None}
    t = truth["totals"]
    for k in COUNTS:
        assert r["totals"][k] == t[k], k
    for k, v in expected_rates(t).items():
        assert r["totals"][k] == pytest.approx(v), k
    # The 30-minute window is real: some clicks came too late to count.
    assert t["clicks"] > t["clicked_searches"]


def test_daily_series_and_slices(month):
    db, truth = month
    r = report_json(db)
    assert [s["start"] for s in r["series"]] == [
        "2026-11-%02d" % d for d in range(1, 31)]
    assert [(s["sessions"], s["searches"]) for s in r["series"]] == [
        (d["sessions"], d["searches"]) for d in truth["days"]]
    assert {s["product"]: s["sessions"] for s in r["by_product"]} == \
        truth["sessions_by_product"]
    assert {s["locale"]: s["sessions"] for s in r["by_locale"]} == \
        truth["sessions_by_locale"]


def test_weeks_start_on_monday_and_add_up(month):
    db, truth = month
    r = report_json(db, "--by", "week")
    starts = [datetime.date.fromisoformat(s["start"]) for s in r["series"]]
    assert all(d.weekday() == 0 for d in starts)
    assert starts[0] <= datetime.date(2026, 11, 1) < starts[1]
    assert sum(s["sessions"] for s in r["series"]) == \
        truth["totals"]["sessions"]
    assert sum(s["searches"] for s in r["series"]) == \
        truth["totals"]["searches"]


def test_product_filter(month):
    db, truth = month
    r = report_json(db, "--product", "web")
    assert r["totals"]["sessions"] == truth["sessions_by_product"]["web"]
    assert r["by_product"] == []
    assert {s["locale"] for s in r["by_locale"]} == {"en", "de", "fr"}


def test_articles(month):
    db, truth = month
    r = report_json(db, "--section", "articles")
    assert "totals" not in r and "gaps" not in r
    got = {a["id"]: {k: a[k] for k in ("views", "clicks", "helpful",
                                       "not_helpful", "comments",
                                       "escalations")}
           for a in r["articles"]}
    assert got == truth["articles"]
    views = [a["views"] for a in r["articles"]]
    assert views == sorted(views, reverse=True)
    esc = [a["escalations"] for a in r["pre_escalation"]]
    assert esc == sorted(esc, reverse=True) and min(esc) > 0
    assert len(r["pre_escalation"]) == sum(
        1 for a in truth["articles"].values() if a["escalations"])
    nh = {a["id"]: a for a in r["not_helpful"]}
    for aid, a in truth["articles"].items():
        if a["not_helpful"]:
            assert nh[aid]["not_helpful"] == a["not_helpful"]
            comments = [c["comment"] for c in nh[aid]["not_helpful_comments"]]
            assert len(comments) <= a["comments"]
    allc = [c["comment"] for a in r["not_helpful"]
            for c in a["not_helpful_comments"]]
    assert 'Steps are outdated, "Settings" moved <b>again</b>' in allc


def test_content_gaps_cluster_variants(month):
    db, truth = month
    r = report_json(db, "--section", "gaps")
    gaps = r["gaps"]
    for fam in truth["families"]:
        g = family_cluster(gaps, fam)
        assert g["searches"] == fam["searches"]
        assert g["sessions"] == fam["sessions"]
        assert g["zero_results"] == fam["zero_results"]
        assert g["no_click"] == fam["searches"] - fam["zero_results"]
        assert g["example"] in fam["variants"]
        assert "2026-11-01" <= g["first_seen"] <= g["last_seen"] \
            <= "2026-11-30"
    ids = [g for g in gaps if g["cluster"].startswith("id:")]
    assert [g["cluster"] for g in ids] == ["id:0x80070005"]
    # Every zero-result and no-click search is in exactly one cluster.
    t = truth["totals"]
    assert sum(g["searches"] for g in gaps) == t["zero_result_searches"] + \
        t["searches_with_results"] - t["clicked_searches"]
    cost = [(g["sessions"], g["searches"]) for g in gaps]
    assert cost == sorted(cost, reverse=True)


def test_agent_traffic_is_not_public(month):
    db, truth = month
    public = report_json(db)
    words = json.dumps(public)
    assert AGENT_QUERY not in words
    assert "internal-billing-override" not in words
    agent = report_json(db, "--audience", "agent")
    assert agent["totals"]["searches"] == truth["agent"]["searches"]
    assert any(g["example"] == AGENT_QUERY for g in agent["gaps"])
    everyone = report_json(db, "--audience", "all")
    assert everyone["totals"]["searches"] == \
        truth["totals"]["searches"] + truth["agent"]["searches"]


def test_csv_and_markdown_agree_with_json(month):
    db, _ = month
    j = report_json(db)
    kpis, arts, pre, comments, gaps = csv_tables(report(db, "--format",
                                                        "csv"))
    head = kpis[0]
    assert head[:2] == ["scope", "value"]
    total = dict(zip(head, kpis[1]))
    assert total["scope"] == "total"
    for k in COUNTS:
        assert int(total[k]) == j["totals"][k]
    for k in RATES:
        assert float(total[k]) == pytest.approx(j["totals"][k], abs=5e-5)
    days = [row for row in kpis[1:] if row[0] == "day"]
    assert [int(dict(zip(head, row))["sessions"]) for row in days] == \
        [s["sessions"] for s in j["series"]]
    assert [row[0] for row in arts[1:]] == [a["id"] for a in j["articles"]]
    assert [int(row[1]) for row in arts[1:]] == \
        [a["views"] for a in j["articles"]]
    assert [row[0] for row in pre[1:]] == [a["id"] for a in
                                           j["pre_escalation"]]
    texts = [row[2] for row in comments[1:]]
    # A customer's words never run as a spreadsheet formula.
    assert "'=1+1 still broken" in texts and "=1+1 still broken" not in texts
    assert [(row[2], int(row[3]), int(row[4])) for row in gaps[1:]] == \
        [(g["example"], g["sessions"], g["searches"]) for g in j["gaps"]]
    md = report(db)
    assert "| Sessions | %d |" % j["totals"]["sessions"] in md
    assert "| Deflection rate | %.1f%% |" % (
        100 * j["totals"]["deflection_rate"]) in md
    for g in j["gaps"]:
        assert "| %d | %d |" % (g["sessions"], g["searches"]) in md
    # Store text cannot open HTML or a table cell in the Markdown.
    assert "<b>" not in md and "\\<b\\>again\\</b\\>" in md
    assert "Too long \\| unclear" in md


def test_a_period_without_events(month, tmp_path):
    db, _ = month
    p = subprocess.run([REPORT, "--analytics-db", db, "--from", "2026-10-01",
                        "--to", "2026-10-07", "--format", "json"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["totals"]["sessions"] == 0 and r["totals"]["ctr"] is None
    assert len(r["series"]) == 7 and r["gaps"] == [] and r["articles"] == []
    assert r["by_product"] == [] and r["by_locale"] == []
    p = subprocess.run([REPORT, "--analytics-db", db, "--from", "2026-10-01",
                        "--to", "2026-10-07"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0 and "| Click-through rate | - |" in p.stdout


def test_errors_name_the_option_or_file(month, tmp_path):
    db, _ = month
    missing = str(tmp_path / "nope.sqlite")
    p = subprocess.run([REPORT, "--analytics-db", missing],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and missing in p.stderr, p.stderr
    for args, word in ((["--from", "2026-13-01"], "--from"),
                       (["--to", "yesterday"], "--to"),
                       (["--by", "month"], "--by"),
                       (["--format", "xml"], "--format"),
                       (["--audience", "boss"], "--audience"),
                       (["--section", "all-of-it"], "--section")):
        p = subprocess.run([REPORT, "--analytics-db", db, *args],
                           capture_output=True, text=True, timeout=30)
        assert p.returncode == 2 and word in p.stderr, (args, p.stderr)
    p = subprocess.run([REPORT], capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and "--analytics-db" in p.stderr
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    p = subprocess.run([REPORT, "--analytics-db", str(junk)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1 and str(junk) in p.stderr, p.stderr


# ---- the /admin dashboard ---------------------------------------------

@pytest.fixture(scope="module")
def dash(month, corpus_db, tmp_path_factory):
    db, _ = month
    s = Server(corpus_db, str(tmp_path_factory.mktemp("dash")),
               extra=["--analytics-db", db])
    yield s
    log = s.stop()
    assert s.proc.returncode == 0, log


def admin(server, path, token=INTERNAL_TOKEN, **params):
    params.setdefault("from", "2026-11-01")
    params.setdefault("to", "2026-11-30")
    status, body, headers = server.request("GET", path, params, token)
    return status, body, headers


def md_table(md, heading):
    """The rows (lists of cells) of the Markdown table under `heading`."""
    part = md.split("\n" + heading + "\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in part.splitlines() if line.startswith("|")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
            for row in rows[2:]]


def html_row(cells, first_is_day):
    """A KPI row as the dashboard prints it (a slice's name is a link, so
    its row is matched from the link's end)."""
    head = cells[0]
    tds = "".join("<td>%s</td>" % c for c in cells[1:]) + "</tr>"
    if first_is_day:
        return '<tr><th scope="row"><time datetime="%s">%s</time></th>' % (
            head, head) + tds
    return ">%s</a></th>" % head + tds


def admin_routes():
    p = subprocess.run([SERVER, "--print-routes"], capture_output=True,
                       text=True, timeout=30, check=True)
    rows = [line.split("\t") for line in p.stdout.splitlines()]
    return [r for r in rows if r[3].startswith("/admin")]


def status_of(server, method, path, token=None):
    """Status and headers of a request, whatever its body (HEAD has none)."""
    hdrs = {"Authorization": "Bearer " + token} if token else {}
    req = urllib.request.Request(server.base + path, method=method,
                                 headers=hdrs,
                                 data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


def test_every_admin_route_refuses_public_and_agents(dash):
    routes = admin_routes()
    assert {r[3] for r in routes} >= {"/admin", "/admin/articles",
                                      "/admin/gaps", "/admin/export.csv"}
    for name, methods, _kind, pattern, level, cached in routes:
        assert level == "internal" and cached == "-", name
        path = pattern.replace("{id}", "x")
        for method in [m.strip() for m in methods.split(",")]:
            body = b"" if method == "POST" else None
            s, h = status_of(dash, method, path)
            assert s == 401 and "Bearer" in h.get("WWW-Authenticate", ""), \
                (method, path, s)
            assert status_of(dash, method, path, AGENT_TOKEN)[0] == 403, \
                (method, path)
            assert status_of(dash, method, path, "not-a-token")[0] == 401, \
                (method, path)
            if method == "HEAD":
                continue
            s, b, _ = dash.request(method, path, {"from": "2026-11-01"},
                                   token=INTERNAL_TOKEN, body=body)
            assert s == 200, (method, path, s)
            assert AGENT_QUERY not in b


def test_overview_shows_every_number(dash, month):
    db, _ = month
    md = report(db)
    s, html, h = admin(dash, "/admin")
    assert s == 200 and h["Cache-Control"] == "private, no-store"
    for label, value in md_table(md, "## KPIs"):
        assert '<th scope="row">%s</th><td>%s</td>' % (label, value) in html
    days = md_table(md, "## KPIs by day")
    assert len(days) == 30
    for cells in days:
        assert html_row(cells, True) in html
    for heading in ("## KPIs by product", "## KPIs by locale"):
        rows = md_table(md, heading)
        assert rows
        for cells in rows:
            assert html_row(cells, False) in html
    # A product links to the overview filtered by it.
    href = re.search(r'<a href="(/admin\?[^"]*product=web)">web</a>',
                     html).group(1).replace("&amp;", "&")
    s, web, _ = dash.request("GET", href, token=INTERNAL_TOKEN)
    assert s == 200
    assert '<th scope="row">Sessions</th><td>%d</td>' % \
        month[1]["sessions_by_product"]["web"] in web
    # Three trend charts and three funnels, drawn by the server, inside
    # the CSP: no inline script, no style attribute.
    assert html.count("<svg") == 6 and html.count("<polyline") >= 8
    assert "style=" not in html
    assert not re.findall(r"<script(?![^>]*\bsrc=)", html)
    assert "<title>2026-11-03, Sessions: %s</title>" % days[2][1] in html


def test_week_view(dash, month):
    db, _ = month
    md = report(db, "--by", "week")
    s, html, _ = admin(dash, "/admin", by="week")
    assert s == 200
    rows = md_table(md, "## KPIs by week")
    assert len(rows) == 6
    for cells in rows:
        assert html_row(cells, True) in html


def test_articles_page(dash, month):
    db, _ = month
    j = report_json(db, "--section", "articles")
    s, html, _ = admin(dash, "/admin/articles")
    assert s == 200
    for a in j["articles"]:
        assert ('<a href="/a/%s">%s</a></th>' % (a["id"], a["id"]) +
                "".join("<td>%d</td>" % a[k] for k in (
                    "views", "clicks", "helpful", "not_helpful", "comments",
                    "escalations"))) in html
    for a in j["pre_escalation"]:
        assert '%s</a></th><td>%d</td></tr>' % (a["id"],
                                                a["escalations"]) in html
    for a in j["not_helpful"]:
        assert "<p>%d not helpful, %d helpful.</p>" % (
            a["not_helpful"], a["helpful"]) in html
    # Customers' comments are text, never markup.
    assert "&lt;b&gt;again&lt;/b&gt;" in html and "<b>again" not in html


def test_gaps_page(dash, month):
    db, truth = month
    j = report_json(db, "--section", "gaps")
    s, html, _ = admin(dash, "/admin/gaps")
    assert s == 200
    for g in j["gaps"]:
        assert "<td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>" % (
            g["cluster"], g["sessions"], g["searches"], g["zero_results"],
            g["no_click"]) in html
        assert "; ".join(g["variants"]) in html
    assert AGENT_QUERY not in html
    s, html, _ = admin(dash, "/admin/gaps", audience="agent")
    assert s == 200 and AGENT_QUERY in html


def test_export_is_the_cli_csv(dash, month):
    db, _ = month
    for section in ("all", "gaps", "kpis"):
        s, body, h = admin(dash, "/admin/export.csv", section=section,
                           product="web")
        assert s == 200 and h["Content-Type"].startswith("text/csv")
        assert "attachment" in h["Content-Disposition"]
        assert body.encode() == report(db, "--format", "csv", "--section",
                                       section, "--product", "web",
                                       text=False)


def test_bad_filters_are_400_naming_the_field(dash):
    for params, word in (({"from": "2026-02-30"}, "from"),
                         ({"to": "soon"}, "to"),
                         ({"by": "hour"}, "by"),
                         ({"audience": "boss"}, "audience"),
                         ({"section": "x"}, "section")):
        s, html, _ = admin(dash, "/admin", **params)
        assert s == 400 and word + ":" in html, (params, s)


def test_dashboard_without_store_says_analytics_are_off(corpus_db, tmp_path):
    s = Server(corpus_db, str(tmp_path))
    try:
        status, html, _ = s.request("GET", "/admin", token=INTERNAL_TOKEN)
        assert status == 503
        assert "analytics are off (no --analytics-db)" in html
        assert s.request("GET", "/admin")[0] == 401
    finally:
        s.stop()
    # A new store: the recorder creates it, and the dashboard reports an
    # empty period rather than an error.
    s = Server(corpus_db, str(tmp_path),
               extra=["--analytics-db", str(tmp_path / "new.sqlite")])
    try:
        status, html, _ = s.request("GET", "/admin/gaps",
                                    token=INTERNAL_TOKEN)
        assert status == 200, html
        assert "No zero-result or no-click searches in this period" in html
    finally:
        s.stop()


def test_docs_example_is_what_the_report_prints(tmp_path):
    """docs/analytics-reports.md's example block, run as written."""
    with open(os.path.join(REPO, "docs", "analytics-reports.md")) as f:
        doc = f.read()
    block = re.search(r"```console\n(\$ build/tests/gen_month.*?)```", doc,
                      re.S).group(1)
    lines = block.splitlines(keepends=True)
    commands = [line[2:].split() for line in lines if line.startswith("$ ")]
    shown = "".join(line for line in lines if not line.startswith("$ "))
    store = str(tmp_path / "month.sqlite")
    out = ""
    for argv in commands:
        argv = [os.path.join(BUILD, a[len("build/"):])
                if a.startswith("build/") else a for a in argv]
        argv = [store if a == "/tmp/month.sqlite" else a for a in argv]
        out += subprocess.run(argv, capture_output=True, text=True,
                              check=True, timeout=60).stdout
    assert out == shown


def split_store(db, tmp_path):
    """The month's events dealt alternately to two stores, as a balancer
    that is not sticky deals one visitor's requests to two replicas."""
    halves = []
    for k in (0, 1):
        path = str(tmp_path / ("host%d.sqlite" % (k + 1)))
        src = sqlite3.connect(db)
        dst = sqlite3.connect(path)
        src.backup(dst)
        src.close()
        dst.execute("DELETE FROM events WHERE id % 2 = ?", (k,))
        dst.commit()
        dst.close()
        halves.append(path)
    return halves


def test_several_hosts_stores_report_as_one(month, tmp_path):
    """Several --analytics-db are one report: two hosts' halves of the
    month give the whole month's report, sessions joined across hosts."""
    db, truth = month
    a, b = split_store(db, tmp_path)
    whole = report(db, "--format", "csv")
    assert report(a, "--format", "csv") != whole
    assert report(a, "--analytics-db", b, "--format", "csv") == whole
    assert report(b, "--analytics-db", a, "--format", "json") == \
        report(db, "--format", "json")
    merged = json.loads(report(a, "--analytics-db", b, "--format", "json"))
    assert merged["totals"]["sessions"] == truth["totals"]["sessions"]
    # A missing host's store is named, as for one store.
    missing = str(tmp_path / "nohost.sqlite")
    p = subprocess.run([REPORT, "--analytics-db", a, "--analytics-db",
                        missing], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and missing in p.stderr, p.stderr
