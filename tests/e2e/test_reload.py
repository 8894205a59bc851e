"""SIGHUP (systemctl reload) reads the branding again, as it does the
tokens file, while the server keeps its connections; a branding file
broken in the meantime leaves the last good one in place, and says why.
"""
import signal
import time

from conftest import Server


def home(server):
    status, body = server.get("/")
    assert status == 200
    return body


def wait_for(pred, what, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError(what)


def test_sighup_reloads_the_branding(corpus_db, tmp_path):
    brand = tmp_path / "branding.conf"
    brand.write_text("product_name = Larkspur\n")
    srv = Server(corpus_db, str(tmp_path), extra=["--branding", str(brand)])
    try:
        assert "Larkspur Help Center" in home(srv)
        brand.write_text("product_name = Bluebell\n")
        assert "Larkspur Help Center" in home(srv)  # not before the signal
        srv.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "Bluebell Help Center" in home(srv),
                 "the new branding was not served after SIGHUP")
        brand.write_text("primary_color = not-a-colour\n")
        srv.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "the branding stays as it was" in
                 open(srv.log.name).read(), "no message for a bad branding")
        assert "Bluebell Help Center" in home(srv)
    finally:
        log = srv.stop()
    assert "branding.conf:1" in log, log
    assert srv.proc.returncode == 0
