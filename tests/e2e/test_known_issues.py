"""Agents' known-issue lookup: exact identifiers, pasted stack traces,
incident notes, and the token rules."""
import os
import subprocess

from conftest import (AGENT_TOKEN, INTERNAL_TOKEN, SERVER, CORPUS)

OOM_TRACE = """\
03-14 09:12:55.120 21877 21877 E AndroidRuntime: FATAL EXCEPTION: ExoPlayer:Playback
Process: example.skylark.android, PID: 21877
java.lang.OutOfMemoryError: Failed to allocate a 132710416 byte allocation with 25165824 free bytes
    at java.nio.HeapByteBuffer.<init>(HeapByteBuffer.java:57)
    at java.nio.ByteBuffer.allocate(ByteBuffer.java:285)
    at example.skylark.android.preview.video.ThumbnailStripExtractor.decodeFrame(ThumbnailStripExtractor.kt:214)
    at example.skylark.android.preview.video.ThumbnailStripExtractor.extractAll(ThumbnailStripExtractor.kt:97)
    at kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)
"""


def lookup(server, text, token=AGENT_TOKEN, **params):
    s, b, _ = server.request("POST", "/api/known-issues", params or None,
                             token, body=text,
                             headers={"Content-Type": "text/plain"})
    assert s == 200, b
    return b


def test_pasted_stack_trace_finds_its_incident_first(server):
    r = lookup(server, OOM_TRACE)
    top = r["hits"][0]
    assert top["id"] == "INC-2056"
    assert top["type"] == "incident"
    assert "java.lang.outofmemoryerror" in top["matched_identifiers"]
    assert "decode" in top["resolution"].lower() or top["resolution"]
    for key in ("title", "status", "product", "versions", "fixed_in",
                "error_codes", "symptoms_snippet", "kb", "problem"):
        assert key in top, key
    assert all(set(k) == {"id", "title", "url"} for k in top["kb"])


def test_json_body_and_get_forms(server):
    s, b, _ = server.request("POST", "/api/known-issues", None, AGENT_TOKEN,
                             body='{"text": "SKY-2207 sync never starts"}',
                             headers={"Content-Type": "application/json"})
    assert s == 200 and b["hits"][0]["id"] == "INC-2031"
    s, b = server.get("/api/known-issues", {"q": "sky-2207"}, AGENT_TOKEN)
    assert b["hits"][0]["id"] == "INC-2031"
    s, b = server.get("/api/known-issues", {"q": "sky2207"}, AGENT_TOKEN)
    assert b["hits"][0]["id"] == "INC-2031"


def test_exact_identifier_lookups(server):
    # Each incident's first error code finds that incident first.
    found = 0
    for name in sorted(os.listdir(os.path.join(CORPUS, "incidents"))):
        text = open(os.path.join(CORPUS, "incidents", name)).read()
        fm = text.split("---")[1]
        audience = [l for l in fm.splitlines() if l.startswith("audience:")]
        codes = [l for l in fm.splitlines() if l.startswith("error_codes:")]
        if not codes or "internal" in audience[0]:
            continue
        code = codes[0].split("[", 1)[1].split(",")[0].strip(" ]'\"")
        if " " in code or len(code) < 5:
            continue
        iid = name[:-3]
        s, b = server.get("/api/known-issues", {"q": code}, AGENT_TOKEN)
        top = [h["id"] for h in b["hits"][:3]]
        assert iid in top, (code, iid, top)
        found += 1
    assert found >= 15


def test_incident_endpoint(server):
    s, b = server.get("/api/incidents/INC-2056", token=AGENT_TOKEN)
    assert s == 200
    assert b["id"] == "INC-2056" and b["status"] == "open"
    assert "OutOfMemoryError" in b["symptoms"]
    assert b["resolution"]
    s, b = server.get("/api/incidents/inc-2056", token=AGENT_TOKEN)
    assert s == 200
    s, b = server.get("/api/incidents/INC-9999", token=AGENT_TOKEN)
    assert s == 404
    s, b = server.get("/api/incidents/INC-2086", token=AGENT_TOKEN)
    assert s == 404  # internal incident
    s, b = server.get("/api/incidents/INC-2086", token=INTERNAL_TOKEN)
    assert s == 200


def test_auth_errors(server):
    s, b = server.get("/api/known-issues", {"q": "x"})
    assert s == 401 and b["error"]["code"] == "unauthorized"
    s, b = server.get("/api/incidents/INC-2031")
    assert s == 401
    s, b = server.get("/api/known-issues", {"q": "x"},
                      "not-a-real-token-at-all-000")
    assert s == 401
    s, b = server.get("/api/search", {"q": "x"},
                      "not-a-real-token-at-all-000")
    assert s == 401


def test_forbidden_for_public_level_token(corpus_db, tmp_path):
    from conftest import Server
    tf = tmp_path / "tokens"
    tf.write_text("public-token-0123456789 public kiosk\n")
    os.chmod(tf, 0o600)
    s = Server(corpus_db, str(tmp_path), tokens=False,
               extra=("--tokens", str(tf)))
    try:
        st, b = s.get("/api/known-issues", {"q": "x"},
                      "public-token-0123456789")
        assert st == 403 and b["error"]["code"] == "forbidden"
    finally:
        s.stop()


def test_paste_limits(server):
    s, b, _ = server.request("POST", "/api/known-issues", None, AGENT_TOKEN,
                             body="x" * (33 * 1024))
    assert s == 413
    s, b, _ = server.request("POST", "/api/known-issues", None, AGENT_TOKEN,
                             body="")
    assert s == 400
    big = (OOM_TRACE * 40)[:32 * 1024]
    r = lookup(server, big)
    assert r["hits"][0]["id"] == "INC-2056"


def test_tokens_file_must_be_private(corpus_db, tmp_path):
    tf = tmp_path / "tokens"
    tf.write_text("agent-token-0123456789 agent a\n")
    os.chmod(tf, 0o644)
    p = subprocess.run([SERVER, "--db", corpus_db, "--port", "0",
                        "--tokens", str(tf)], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode != 0
    assert "readable by other users" in p.stderr
    assert "chmod 600" in p.stderr


def test_error_numbers_after_a_code_word_are_kept(server):
    # "Event ID 1000" is the crash event of INC-2040: the number after
    # "Event ID" is its code (other numbers in a paste are dropped).
    r = lookup(server, "app keeps closing, event viewer shows Event ID 1000")
    assert r["hits"] and r["hits"][0]["id"] == "INC-2040"
