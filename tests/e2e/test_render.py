"""Migrated knowledge bases render as written (issue 14, rendering): the
platform fixture KB (tests/fixtures/platforms/, one article per platform)
indexed and served by the real binaries with --corpus, plus hostile files
added to a copy of it: tables, callouts, rewritten links, images and
attachments through GET /media/ (path checks, symlinks, types, audiences,
cache headers), and the lint's reports for what is not rendered.
"""
import http.client
import json
import os
import re
import shutil

import pytest

from conftest import (AGENT_TOKEN, INTERNAL_TOKEN, REPO, Server, run_indexer,
                      write)

FIXTURE = os.path.join(REPO, "tests", "fixtures", "platforms")
PUBLIC = ["install-desktop-app", "jekyll/sign-in", "mkdocs/sync-troubleshooting",
          "skylark.export-data", "skylark.import-data", "360012345678"]
NOISE = ["{{", "{%", "%}", ":::", "!!!", "[!", "import Tabs", "&lt;Tabs",
         "&lt;TabItem", "relref", "raw HTML omitted"]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("render")
    corpus = tmp / "corpus"
    shutil.copytree(FIXTURE, corpus)
    outside = tmp / "outside-secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\nOUTSIDE-SECRET")
    os.symlink(str(outside), str(corpus / "hugo" / "images" / "escape.png"))
    write(corpus / "hostile" / "files" / "page.html", "<script>x</script>")
    write(corpus / "hostile" / "files" / "notes.txt", "plain notes\n")
    write(corpus / "hostile" / "links.md",
          "---\ntitle: Hostile links\n---\n\n# Hostile links\n\n"
          "![escape](../hugo/images/escape.png)\n\n"
          "![html](files/page.html) and [html link](files/page.html)\n\n"
          "![gone](images/not-there.png)\n\n"
          "[notes](files/notes.txt) and [outside](../../outside-secret.png)\n\n"
          "[missing article](../billing/refunds.md#vat)\n\n"
          "{{< youtube abc >}} and {% include note.html %} and "
          "{{ page.title }}\n\n<Badge text=\"new\" />\n")
    db = str(tmp / "db")
    run_indexer("--corpus", str(corpus), "--db", db, "--quiet", check=0)
    s = Server(db, str(tmp), extra=["--assets", os.path.join(REPO, "web"),
                                    "--corpus", str(corpus)])
    s.corpus = corpus
    yield s
    s.stop()


def page(kb, id_, token=None):
    s, body = kb.get("/a/" + id_, token=token)
    assert s == 200, (id_, body)
    return body


def body_of(html):
    """The article's rendered body: after its header, before its end."""
    return html.split('<div class="body">', 1)[1].split("</article>", 1)[0]


def raw_get(kb, path, headers=None):
    """GET `path` sent byte for byte (no client-side normalisation)."""
    c = http.client.HTTPConnection("127.0.0.1", kb.port, timeout=30)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hdrs, data


def test_fixture_passes_strict_lint_but_for_unknown_fields():
    # --strict makes every diagnostic an error; the only ones left are the
    # platforms' front-matter fields, which the browsing half of issue 14
    # teaches the parser.
    p = run_indexer("--check", "--strict", "--format=json", "--corpus", FIXTURE)
    diags = json.loads(p.stdout)["diagnostics"]
    assert [d for d in diags if d["rule"] != "unknown-field"] == []


@pytest.mark.parametrize("id_", PUBLIC)
def test_pages_show_no_template_noise_and_one_h1(kb, id_):
    html = page(kb, id_)
    assert html.count("<h1") == 1
    for noise in NOISE:
        assert noise not in body_of(html), (id_, noise)


def test_tables_are_accessible_scroll_regions(kb):
    body = body_of(page(kb, "install-desktop-app"))
    assert ('<div class="table-wrap" tabindex="0" role="region" '
            'aria-label="Table: System requirements">') in body
    assert '<th scope="col">System</th>' in body
    assert '<th scope="col" align="right">Disk space</th>' in body
    assert '<td align="center">Ubuntu 22.04</td>' in body
    assert "|" not in body


def test_table_cells_are_indexed_as_words(kb):
    assert "install-desktop-app" in kb.ids("ventura")
    assert kb.ids("relref") == [] and kb.ids("notice") == []


def test_callouts(kb):
    body = body_of(page(kb, "skylark.export-data"))
    assert ('<div class="callout callout-note" role="note">\n'
            '<p class="callout-title"><strong>Note</strong></p>') in body
    assert 'class="callout callout-warning"' in body
    mk = body_of(page(kb, "mkdocs/sync-troubleshooting"))
    assert "<strong>Note</strong>: Offline edits</p>" in mk
    assert "Nothing is lost when the network drops." in mk
    hugo = body_of(page(kb, "install-desktop-app"))
    assert 'class="callout callout-tip"' in hugo


def test_task_lists_and_strikethrough(kb):
    mk = body_of(page(kb, "mkdocs/sync-troubleshooting"))
    assert ('<li><span class="task task-done" role="img" aria-label="Done:">'
            '\u2611</span> A green check') in mk
    assert '<span class="task" role="img" aria-label="To do:">' in mk
    assert "<input" not in mk
    assert "<del>Reinstall the app</del>" in mk


def test_links_between_articles_are_rewritten(kb):
    hugo = body_of(page(kb, "install-desktop-app"))
    assert '<a href="/a/jekyll/sign-in">sign in</a>' in hugo
    assert ('<a href="/a/mkdocs/sync-troubleshooting#check-the-status-icon">'
            in hugo)
    docfx = body_of(page(kb, "skylark.export-data"))
    assert ('<a href="/a/skylark.import-data">Import data from another '
            'tool</a>') in docfx
    # An xref autolink shows the target's title.
    assert ('<a href="/a/skylark.import-data#before-you-start">Import data '
            'from another tool</a>') in docfx
    jekyll = body_of(page(kb, "jekyll/sign-in"))
    assert '<a href="/a/zendesk/reset-password#request-a-reset-email">' in \
        jekyll or '<a href="/a/360012345678#request-a-reset-email">' in jekyll
    assert '>Share a board</a>' in jekyll  # {% link %} from the root
    back = body_of(page(kb, "skylark.import-data"))
    assert '<a href="/a/skylark.export-data#choose-a-format">' in back
    # A link to an article that does not exist is text.
    hostile = body_of(page(kb, "hostile/links"))
    assert "missing article" in hostile and "refunds" not in hostile


def test_images_and_attachments_are_served(kb):
    body = body_of(page(kb, "install-desktop-app"))
    m = re.search(r'<img src="([^"]+)" alt="The installer', body)
    assert m and m.group(1) == ("/media/hugo/images/installer-welcome.png"
                                "?a=install-desktop-app")
    s, h, data = raw_get(kb, m.group(1))
    assert s == 200 and h["content-type"] == "image/png"
    with open(os.path.join(FIXTURE, "hugo/images/installer-welcome.png"),
              "rb") as f:
        assert data == f.read()
    assert h["x-content-type-options"] == "nosniff"
    assert h["cache-control"] == "public, max-age=3600"
    assert h["etag"] and h["last-modified"]
    s, h2, data = raw_get(kb, m.group(1), {"If-None-Match": h["etag"]})
    assert s == 304 and data == b""
    svg = "/media/docfx/media/export-dialog.svg?a=skylark.export-data"
    assert svg.replace("&", "&amp;") in page(kb, "skylark.export-data")
    s, h, _ = raw_get(kb, svg)
    assert s == 200 and h["content-type"] == "image/svg+xml"
    assert h["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'")
    pdf = "/media/docfx/media/export-sample.pdf?a=skylark.export-data"
    assert '<a href="%s">the export reference</a>' % pdf in page(
        kb, "skylark.export-data")
    s, h, data = raw_get(kb, pdf)
    assert s == 200 and h["content-type"] == "application/pdf"
    assert data.startswith(b"%PDF")


@pytest.mark.parametrize("path", [
    "/media/docfx/media/../export-data.md?a=skylark.export-data",
    "/media/docfx/media/..%2fexport-data.md?a=skylark.export-data",
    "/media/docfx/media/..%2F..%2F..%2Foutside-secret.png?a=hostile/links",
    "/media/%2e%2e/outside-secret.png?a=hostile/links",
    "/media//etc/passwd?a=hostile/links",
    "/media/docfx/media/export-dialog.svg",
    "/media/docfx/media/export-dialog.svg?a=",
    "/media/docfx/media/export-dialog.svg?a=install-desktop-app",
    "/media/hugo/images/escape.png?a=hostile/links",
    "/media/hostile/files/page.html?a=hostile/links",
    "/media/hugo/images/not-there.png?a=hostile/links",
    "/media/docfx/export-data.md?a=skylark.export-data",
])
def test_media_refuses(kb, path):
    s, h, data = raw_get(kb, path)
    assert s == 404, (path, s)
    assert b"OUTSIDE-SECRET" not in data and b"<script>" not in data


def test_media_of_agent_articles_is_not_public(kb):
    path = "/media/docfx/media/escalation-flow.png?a=docfx/escalation-runbook"
    assert kb.get(path)[0] == 404
    s, b, h = kb.request("GET", path, token=AGENT_TOKEN)
    assert s == 200 and h["Cache-Control"] == "private, max-age=300"
    # A public article that does not reference it does not open it either.
    assert kb.get("/media/docfx/media/escalation-flow.png",
                  {"a": "skylark.export-data"})[0] == 404


def test_unserved_files_become_placeholders_or_text(kb):
    body = body_of(page(kb, "hostile/links"))
    assert ('<span class="img-missing">Image not available: escape</span>'
            in body)
    assert '<span class="img-missing">Image not available: html</span>' in body
    assert '<span class="img-missing">Image not available: gone</span>' in body
    assert "html link" in body and "page.html" not in body
    assert "outside" in body and "outside-secret" not in body
    assert '<a href="/media/hostile/files/notes.txt?a=hostile%2Flinks">' \
        in body or '<a href="/media/hostile/files/notes.txt?a=hostile/links"' \
        in body
    for noise in ("youtube", "include", "page.title", "{{", "{%"):
        assert noise not in body


def test_without_corpus_images_are_placeholders(kb, tmp_path):
    s = Server(os.path.join(os.path.dirname(str(kb.corpus)), "db"),
               str(tmp_path))
    try:
        st, b = s.get("/api/articles/install-desktop-app")
        assert st == 200
        assert "Image not available: The installer" in b["html"]
        assert s.get("/media/hugo/images/installer-welcome.png",
                     {"a": "install-desktop-app"})[0] == 404
    finally:
        s.stop()


def test_lint_reports_what_is_not_rendered(kb):
    p = run_indexer("--check", "--corpus", str(kb.corpus))
    out = p.stdout
    assert ("hostile/links.md:15:1: error: link target "
            "'../billing/refunds.md#vat' does not exist [broken-link]") in out
    assert ("hostile/links.md:11:1: warning: image 'images/not-there.png' "
            "not found [missing-image]") in out
    assert ("hostile/links.md:17:1: warning: Hugo shortcode "
            "'{{< youtube >}}' is not rendered: it is left out of the page "
            "[hugo-shortcode]") in out
    assert ("hostile/links.md:17:1: warning: Liquid tag '{% include %}' is "
            "not rendered: it is left out of the page [liquid]") in out
    assert ("hostile/links.md:17:1: warning: Liquid variable "
            "'{{ page.title }}' is not rendered") in out
    assert ("hostile/links.md:19:1: warning: MDX component '<Badge />' is "
            "not rendered: it is left out of the page [mdx]") in out
    # A link above the corpus root is not the lint's business.
    assert "outside-secret" not in out


def test_draft_and_status_agree(kb, tmp_path):
    corpus = tmp_path / "c"
    write(corpus / "a.md", "---\ntitle: Soon\ndraft: true\n---\n\nSoon.\n")
    write(corpus / "b.md", "---\ntitle: Later\nstatus: published\n"
                           "published: false\n---\n\nLater.\n")
    db = str(tmp_path / "db")
    run_indexer("--corpus", str(corpus), "--db", db, "--quiet", check=0)
    p = run_indexer("--check", "--corpus", str(corpus))
    assert ("b.md:3:1: warning: status 'published' but the document is a "
            "draft") in p.stdout
    s = Server(db, str(tmp_path))
    try:
        for id_ in ("a", "b"):
            st, b = s.get("/api/articles/" + id_,
                          {"drafts": "1"}, token=AGENT_TOKEN)
            assert st == 200, b
            assert b["status"] == "draft" and b["draft"] is True
    finally:
        s.stop()


def test_internal_file_reaches_internal_callers_only(kb):
    # (test_leaks probes the lower levels; here the positive side.)
    write(kb.corpus / "hostile" / "internal.md",
          "---\ntitle: Internal runbook\naudience: internal\n---\n\n"
          "[notes](files/notes.txt)\n")
    run_indexer("--corpus", str(kb.corpus), "--db",
                os.path.join(os.path.dirname(str(kb.corpus)), "db"),
                "--quiet", check=0)
    path = "/media/hostile/files/notes.txt"
    assert kb.get(path, {"a": "hostile/internal"}, token=AGENT_TOKEN)[0] == 404
    s, b = kb.get(path, {"a": "hostile/internal"}, token=INTERNAL_TOKEN)
    assert s == 200 and b == "plain notes\n"
