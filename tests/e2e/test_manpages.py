"""The man pages (man/*.1) stay true to the programs: the options in each
program's `--help` and in its man page's OPTIONS section are the same,
both ways, and the pages render without a groff warning.  A failure names
every option missing on either side, so a new option is one .TP entry."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, REPO

PROGRAMS = ["helpdex-index", "helpdex-serve", "helpdex-report"]


def help_options(program):
    """Long options listed in the Options block of `program --help`: the
    --names at the start of an entry line (`  --a, --b ARG  text`)."""
    p = subprocess.run([os.path.join(BUILD, program), "--help"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    opts, in_block = set(), False
    for line in p.stdout.splitlines():
        if re.match(r"^Options:\s*$", line):
            in_block = True
            continue
        if in_block and line and not line[0].isspace():
            in_block = False
        if in_block and re.match(r"^\s+-", line):
            spec = re.split(r"\s{2,}", line.strip())[0]
            opts |= set(re.findall(r"(?<![\w-])--([a-z][\w-]*)", spec))
    assert opts, "%s --help: no Options: block found" % program
    return opts


def man_options(page):
    """Long options tagged in the page's OPTIONS section (.TP/.TQ tags)."""
    with open(page) as f:
        lines = f.read().splitlines()
    opts, in_section, tag_next = set(), False, False
    for line in lines:
        if line.startswith(".SH"):
            in_section = line.split(None, 1)[1].strip('"') == "OPTIONS"
            continue
        if not in_section:
            continue
        if line.startswith((".TP", ".TQ")):
            tag_next = True
            continue
        if tag_next and line.startswith(".\\\""):
            continue
        if tag_next:
            text = line.replace("\\-", "-").replace("\\fB", "") \
                       .replace("\\fR", "").replace("\\fI", "")
            opts |= set(re.findall(r"(?<![\w-])--([a-z][\w-]*)", text))
            tag_next = False
    return opts


@pytest.mark.parametrize("program", PROGRAMS)
def test_man_page_options_match_help(program):
    page = os.path.join(REPO, "man", program + ".1")
    in_help, in_man = help_options(program), man_options(page)
    problems = ["%s: --%s is in `%s --help` but not in man/%s.1 "
                "(add a .TP entry to its OPTIONS section)"
                % (program, o, program, program)
                for o in sorted(in_help - in_man)]
    problems += ["%s: --%s is in man/%s.1 (OPTIONS) but not in `%s --help` "
                 "(remove it from the page, or document it in --help)"
                 % (program, o, program, program)
                 for o in sorted(in_man - in_help)]
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("program", PROGRAMS)
def test_man_page_header(program):
    """NAME is `program \\- summary` (whatis, lintian), and .TH carries
    the version the program prints."""
    with open(os.path.join(REPO, "man", program + ".1")) as f:
        text = f.read()
    assert re.search(r"^\.SH NAME\n%s \\- \S" % re.escape(program), text,
                     re.M), "%s.1: NAME must be '%s \\- summary'" % (
                         program, program)
    p = subprocess.run([os.path.join(BUILD, program), "--version"],
                       capture_output=True, text=True, timeout=30)
    version = p.stdout.split()[-1]
    th = re.search(r"^\.TH (.*)$", text, re.M).group(1)
    assert '"helpdex %s"' % version in th, (
        "man/%s.1: .TH says %s; `%s --version` says %s"
        % (program, th, program, version))


@pytest.mark.skipif(shutil.which("groff") is None, reason="no groff")
@pytest.mark.parametrize("program", PROGRAMS)
def test_man_page_renders_cleanly(program):
    p = subprocess.run(["groff", "-man", "-ww", "-z",
                        os.path.join(REPO, "man", program + ".1")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0 and p.stderr == "", p.stderr


# helpdex.conf(5): its KEYS are the options a configuration file may set.
NOT_IN_FILE = {"config", "check-config", "help", "version"}


def conf_keys(page):
    """The keys tagged in the KEYS section of helpdex.conf(5)."""
    keys, in_section, tag_next = set(), False, False
    for line in open(page).read().splitlines():
        if line.startswith(".SH"):
            in_section = line.split(None, 1)[1].strip() == "KEYS"
            continue
        if in_section and line.startswith(".TP"):
            tag_next = True
        elif in_section and tag_next:
            m = re.match(r'^\.BI? "?([a-z][\w-]*):', line)
            assert m, "helpdex.conf.5: KEYS tag is not 'key: VALUE': " + line
            keys.add(m.group(1))
            tag_next = False
    return keys


def test_conf_page_keys_match_serve_options():
    page = os.path.join(REPO, "man", "helpdex.conf.5")
    keys = conf_keys(page)
    options = help_options("helpdex-serve") - NOT_IN_FILE
    problems = ["--%s is in `helpdex-serve --help` but not a key in "
                "man/helpdex.conf.5" % k for k in sorted(options - keys)]
    problems += ["'%s' is a key in man/helpdex.conf.5 but not an option of "
                 "helpdex-serve" % k for k in sorted(keys - options)]
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.skipif(shutil.which("groff") is None, reason="no groff")
def test_conf_page_renders_cleanly():
    p = subprocess.run(["groff", "-man", "-ww", "-z",
                        os.path.join(REPO, "man", "helpdex.conf.5")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0 and p.stderr == "", p.stderr
