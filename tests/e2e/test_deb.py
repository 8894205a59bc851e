"""The .deb that `make deb` built (issue 17): its listing, its maintainer
scripts, and the package extracted with `dpkg -x` into a scratch root (not
installed on the host) indexing and serving with its units' command lines.
Runs from `make deb-check`, which sets HDX_DEB to the folder of the .deb;
skipped otherwise (building the package takes a minute: docs/install.md)."""
import glob
import os
import subprocess

import pytest

import test_install as ti

DEB_DIR = os.environ.get("HDX_DEB")
pytestmark = pytest.mark.skipif(not DEB_DIR, reason="HDX_DEB not set "
                                "(make deb-check runs this)")

UNIT_DIR = "lib/systemd/system"
# make install's tree, as debhelper finishes it: units in /lib, man pages
# compressed, the Debian changelog and copyright added.
EXPECTED = sorted(
    [f.replace(ti.UNIT_DIR, UNIT_DIR) + (".gz" if f.startswith(
        "usr/share/man/") else "") for f in ti.EXPECTED]
    + ["usr/share/doc/helpdex/changelog.gz",
       "usr/share/doc/helpdex/copyright"])


@pytest.fixture(scope="module")
def deb():
    (path,) = glob.glob(os.path.join(DEB_DIR, "helpdex_*.deb"))
    return path


@pytest.fixture(scope="module")
def root(deb, tmp_path_factory):
    r = str(tmp_path_factory.mktemp("debroot"))
    subprocess.run(["dpkg", "-x", deb, r], check=True, timeout=60)
    return r


def test_deb_listing(root):
    assert ti.files_under(root) == EXPECTED


def test_deb_conffiles_and_scripts(deb, tmp_path):
    ctl = str(tmp_path / "control")
    subprocess.run(["dpkg-deb", "-e", deb, ctl], check=True, timeout=60)
    with open(os.path.join(ctl, "conffiles")) as f:
        assert sorted(f.read().split()) == ["/etc/default/helpdex",
                                            "/etc/helpdex/branding.conf",
                                            "/etc/helpdex/helpdex.conf"]
    with open(os.path.join(ctl, "postinst")) as f:
        postinst = f.read()
    assert "adduser --system" in postinst
    assert "/var/lib/helpdex" in postinst
    # The server and the path unit are enabled and started; the timer is
    # enabled only where the admin had enabled it, and never started.
    enabled = [line for line in postinst.splitlines()
               if "deb-systemd-helper enable" in line]
    assert any("helpdex-serve.service" in line for line in enabled)
    assert any("helpdex-index.path" in line for line in enabled)
    assert ("deb-systemd-helper debian-installed 'helpdex-index.timer'"
            in postinst)
    started = [line for line in postinst.splitlines()
               if "deb-systemd-invoke" in line]
    assert any("helpdex-serve.service" in line for line in started)
    assert not any("helpdex-index.timer" in line for line in started)
    with open(os.path.join(ctl, "postrm")) as f:
        assert "rm -rf /var/lib/helpdex" in f.read()


def test_deb_system_works(root, tmp_path):
    """The extracted package indexes corpus/ and serves it, as its units
    would (same check as test_install.test_installed_system_works)."""
    ti.run_installed_system(root, UNIT_DIR, tmp_path)
