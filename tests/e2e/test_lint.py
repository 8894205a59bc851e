"""helpdex-index --check: one fixture per rule, exact messages, JSON output,
exit codes and --strict.  Fixtures: tests/fixtures/lint/ (plus files that
cannot be committed as text, generated here)."""
import json
import os
import shutil

import pytest

from conftest import REPO, article, run_indexer, write

FIXTURES = os.path.join(REPO, "tests", "fixtures", "lint")

EXPECTED = [
    "articles/bad-audience-typo.md:4:1: error: invalid audience 'agnet' "
    "(did you mean 'agent'? expected public, agent or internal) "
    "[invalid-audience]",
    "articles/bad-audience.md:4:1: warning: audience 'everyone-internl' is "
    "not an access level (public, agent, internal); the default audience of "
    "the type applies [audience-value]",
    "articles/bad-date.md:4:1: error: invalid date '2026-02-30' (expected "
    "YYYY-MM-DD) [invalid-date]",
    "articles/bad-heading-audience.md:6:1: error: heading attribute "
    "audience= must be public, agent or internal [invalid-audience]",
    "articles/bad-status.md:4:1: error: invalid status 'live' (expected "
    "published or draft) [invalid-status]",
    "articles/bad-type.md:4:1: error: invalid type 'video' (expected "
    "article, faq or incident) [invalid-type]",
    "articles/broken-links.md:6:1: error: link target 'does-not-exist.md' "
    "does not exist [broken-link]",
    "articles/broken-links.md:6:1: error: link to article id 'nope' points "
    "nowhere [broken-link]",
    "articles/broken-links.md:6:1: error: link to article id 'gone' points "
    "nowhere [broken-link]",
    "articles/broken-links.md:8:1: warning: image '../images/nope.png' not "
    "found [missing-image]",
    "articles/missing-title.md:1:1: error: no title: add 'title:' to the "
    "front matter or a '# Heading' [missing-title]",
    "articles/restricted-link.md:6:1: warning: link to article id 'INC-1' "
    "(audience agent) in a section for public readers, who cannot see it "
    "[restricted-link]",
    "articles/unknown-field.md:4:1: warning: unknown front-matter field "
    "'audiance' (did you mean 'audience'?) [unknown-field]",
    "articles/yaml-error.md:3:7: error: invalid YAML: did not find expected "
    "',' or ']' while parsing a flow sequence [yaml]",
    "articles/zz-duplicate.md:1:1: error: duplicate id 'good' (already used by "
    "articles/good.md) [duplicate-id]",
    "incidents/INC-1.md:1:1: error: incident has no Resolution or Workaround "
    "section [incident-resolution]",
    "incidents/INC-1.md:1:1: error: kb article 'ghost-article' does not "
    "exist [broken-link]",
]


@pytest.fixture
def lint_corpus(tmp_path):
    c = tmp_path / "lint"
    shutil.copytree(FIXTURES, c)
    return c


def test_every_rule_has_its_exact_message():
    p = run_indexer("--corpus", FIXTURES, "--check")
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert lines[:-1] == EXPECTED
    assert lines[-1] == ("helpdex-index --check: 15 files, 13 errors, "
                         "4 warnings")


def test_files_that_are_not_text(lint_corpus):
    a = lint_corpus / "articles"
    (a / "empty.md").write_text("\n \n")
    (a / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (a / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    (a / "huge.md").write_text("---\ntitle: Huge\n---\n" + "y" * 4200000)
    out = run_indexer("--corpus", str(lint_corpus), "--check").stdout
    assert "articles/empty.md:1:1: error: empty file [empty-file]" in out
    assert ("articles/binary.md:1:1: error: binary file (contains NUL "
            "bytes) [binary-file]") in out
    assert ("articles/latin1.md:2:11: error: invalid UTF-8 (byte 0xE9) "
            "[invalid-utf8]") in out
    assert "articles/huge.md:1:1: error: file is 4200020 bytes, over the " \
        "4194304-byte limit [too-large]" in out


def test_json_format():
    p = run_indexer("--corpus", FIXTURES, "--check", "--format=json")
    assert p.returncode == 1
    d = json.loads(p.stdout)
    assert d["files"] == 15 and d["errors"] == 13 and d["warnings"] == 4
    first = d["diagnostics"][0]
    assert first == {"file": "articles/bad-audience-typo.md", "line": 4,
                     "column": 1, "severity": "error",
                     "rule": "invalid-audience",
                     "message": "invalid audience 'agnet' (did you mean "
                                "'agent'? expected public, agent or "
                                "internal)"}
    assert {x["rule"] for x in d["diagnostics"]} == {
        "invalid-audience", "audience-value", "invalid-date",
        "invalid-status", "invalid-type", "broken-link", "missing-image",
        "missing-title", "unknown-field", "yaml", "duplicate-id",
        "incident-resolution", "restricted-link"}


def test_warnings_only_exit_zero_unless_strict(tmp_path):
    c = tmp_path / "c"
    (c / "articles").mkdir(parents=True)
    shutil.copy(os.path.join(FIXTURES, "articles", "unknown-field.md"),
                c / "articles")
    p = run_indexer("--corpus", str(c), "--check")
    assert p.returncode == 0 and "1 warnings" in p.stdout
    p = run_indexer("--corpus", str(c), "--check", "--strict")
    assert p.returncode == 1 and "1 errors, 0 warnings" in p.stdout


def test_check_never_writes_an_index(tmp_path):
    p = run_indexer("--corpus", FIXTURES, "--check", "--db",
                    str(tmp_path / "db"))
    assert p.returncode == 1
    assert not os.path.exists(tmp_path / "db")


def test_restricted_links_by_level(tmp_path):
    """Issue 13, defect 3: a link is flagged when readers who see it (the
    level of its article and section) cannot see its target."""
    c = tmp_path / "c"
    write(c / "pub.md", article("pub", "Public", "[a](kb:int-art) and "
                                "[b](/a/agent-art) and [c](kb:pub)\n\n"
                                "## Inside {audience=internal}\n\n"
                                "[d](kb:int-art)"))
    write(c / "agent-art.md", article("agent-art", "Agent", "[e](/a/int-art)"
                                      " and [f](kb:pub)", audience="agent"))
    write(c / "int-art.md", article("int-art", "Internal", "[g](kb:pub)",
                                    audience="internal"))
    p = run_indexer("--corpus", str(c), "--check")
    assert p.returncode == 0, p.stdout
    assert p.stdout.splitlines() == [
        "agent-art.md:9:1: warning: link to article id 'int-art' (audience "
        "internal) in a section for agent readers, who cannot see it "
        "[restricted-link]",
        "pub.md:8:1: warning: link to article id 'int-art' (audience "
        "internal) in a section for public readers, who cannot see it "
        "[restricted-link]",
        "pub.md:8:1: warning: link to article id 'agent-art' (audience "
        "agent) in a section for public readers, who cannot see it "
        "[restricted-link]",
        "helpdex-index --check: 3 files, 0 errors, 3 warnings"]


def test_sample_corpus_is_clean():
    p = run_indexer("--corpus", os.path.join(REPO, "corpus"), "--check",
                    "--strict")
    assert p.returncode == 0, p.stdout


def test_bad_format_is_a_usage_error():
    p = run_indexer("--corpus", FIXTURES, "--check", "--format=xml")
    assert p.returncode == 2 and "--format" in p.stderr
