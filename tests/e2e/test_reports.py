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
import subprocess

import pytest

from conftest import BUILD, SERVER, AGENT_TOKEN, INTERNAL_TOKEN, Server

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


def report(db, *args, check=0):
    p = subprocess.run([REPORT, "--analytics-db", db, *PERIOD, *args],
                       capture_output=True, text=True, timeout=60)
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
