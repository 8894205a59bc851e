#!/usr/bin/python3
"""Derive the judged queries of the bench-corpus relevance suite.

Reads the bench corpus (default /work/shared/bench-corpus, read-only) and
writes tests/relevance/bench/judgments.tsv: columns class, query,
relevant_paths (comma-separated paths relative to the corpus root).

Every class is derived by a fixed, written rule from the articles' own
text (tests/relevance/README.md describes each one); nothing here looks at
what any search engine returns.  Choices among candidates are made by a
hash of the source path, so the output is the same on every run and does
not depend on the order in which the file system lists files.

Usage:
    tests/relevance/bench/derive.py [--corpus DIR] [--out FILE] [--per-class N]

Python 3.11 standard library only.
"""

import argparse
import bisect
import hashlib
import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = "/work/shared/bench-corpus"
PER_CLASS = 60
MAX_RELEVANT = 8        # a text found in more documents is too generic

CLASSES = ["error_message", "fragment", "error_code", "kb_number",
           "symptom", "question", "keyword", "misspelling", "code_line",
           "event_log"]

# Queries removed by hand review (class, query): each with its reason.
# Filled in after reading the whole generated file; see README.md.
REVIEW_DROP = {
    # not an error message: text around one
    ("error_message", "To see what data this error report contains, click "
     "here."): "a link caption",
    ("error_message", 'In the error message, the second "than" is a '
     'misspelling of "then."'): "a remark about a message",
    ("fragment", "is a misspelling for the"): "from a remark, not a message",
    ("fragment", "you may also receive other"): "from prose, not a message",
    # symptom sentences that need their context, or are messages
    ("symptom", "therefore these disks cannot be added to pool"): "context",
    ("symptom", "symptom of this bug is that as soon as issue occurs user"):
        "cut before the symptom",
    ("symptom", "we're just collecting some error info and then i can "
     "restart"): "a message rewritten in the first person",
    ("symptom", "object reference not set to instance of object"):
        "a message (error_message class)",
    ("symptom", "email server error code web server returned sendfailure "
     "exception"): "a message",
    ("symptom", "failed to bring availability group 'availability_group' "
     "online"): "a message",
    ("symptom", "these missing policy areas are different than ones that are "
     "normally missing when i'm"): "context",
    ("symptom", "accessing services remotely may yield same error"): "context",
    ("symptom", "they aren't visible in standard odbc administrator dialog "
     "that is launched from administrative tools"): "context ('they')",
    ("symptom", "this error message appears at first user logon after "
     "initial deployment of image"): "context ('this error')",
    ("symptom", "in azure portal if i go to my application insights "
     "resource's overview page"): "cut before the symptom",
    ("symptom", "after email password is changed for ios email profile in "
     "microsoft intune"): "cut before the symptom",
    ("symptom", "after i upgrade computer or device to windows 10 certain "
     "garmin wearable devices"): "cut before the symptom",
    ("symptom", "when using systeminfo.exe in windows server 2003 to display "
     "list of installed hotfixes"): "cut before the symptom",
    # misspellings of a query that says nothing without the word
    ("misspelling", "how do i enusre"): "too short to mean anything",
    ("misspelling", "commno issues when i run"): "too generic",
    ("misspelling", "this feature has been disabbled"): "too generic",
}


def h(*parts):
    """Stable pseudo-random integer for a choice (not Python's hash())."""
    s = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.sha1(s).digest()[:8], "big")


# ------------------------------------------------------------ the corpus

def walk(root):
    """The files helpdex-index reads (indexer/walk.c): *.md / *.markdown,
    sorted, skipping dot entries, folders named includes/_includes and the
    root README.md."""
    out = []

    def rec(rel):
        d = os.path.join(root, rel) if rel else root
        for name in sorted(os.listdir(d)):
            if name.startswith("."):
                continue
            child = f"{rel}/{name}" if rel else name
            full = os.path.join(root, child)
            if os.path.isdir(full) and not os.path.islink(full):
                if name in ("includes", "_includes"):
                    continue
                rec(child)
            elif os.path.isfile(full):
                low = name.lower()
                if not (low.endswith(".md") or low.endswith(".markdown")):
                    continue
                if not rel and low == "readme.md":
                    continue
                out.append(child)
    rec("")
    return sorted(out)


FM_KEY_RE = re.compile(r"^([A-Za-z_.]+):\s*(.*?)\s*$")


def unquote(v):
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
        v = v.replace("''", "'") if v and "''" in v else v
    return v


def split_front_matter(text):
    """(meta dict of lower-case keys, body).  Not a YAML parser: `key: value`
    lines, plus folded `key: >` blocks of indented lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    meta = {}
    if not text.startswith("---"):
        return meta, text
    m = re.match(r"---[ \t\r]*\n(.*?)\n(?:---|\.\.\.)[ \t\r]*(?:\n|$)", text,
                 re.S)
    if not m:
        return meta, text
    lines = m.group(1).split("\n")
    i = 0
    while i < len(lines):
        km = FM_KEY_RE.match(lines[i])
        i += 1
        if not km:
            continue
        key, val = km.group(1).lower(), km.group(2)
        if val in (">", "|", ">-", "|-", ""):
            cont = []
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or
                                      not lines[i].strip()):
                cont.append(lines[i].strip())
                i += 1
            val = " ".join(c for c in cont if c)
        meta.setdefault(key, unquote(val.strip()))
    return meta, text[m.end():]


def render(s):
    """What a reader sees of a line of Markdown, roughly: entities decoded,
    blockquote markers, emphasis, backticks and backslash escapes removed,
    links reduced to their text."""
    s = s.replace("&nbsp;", " ")
    s = html.unescape(s)
    s = re.sub(r"^(\s*>)+\s?", "", s)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = s.replace("**", "").replace("`", "")
    s = re.sub(r"\\([<>*_\[\]#`|])", r"\1", s)
    s = re.sub(r"<br\s*/?>", " ", s)
    return s.strip()


def norm(s):
    """The form in which texts are compared: rendered per line, lower-cased,
    every run of white space one blank."""
    return " ".join(" ".join(render(line) for line in s.split("\n"))
                    .lower().split())


class Doc:
    __slots__ = ("path", "title", "description", "body", "lines", "kb")

    def __init__(self, path, text):
        self.path = path
        meta, body = split_front_matter(text)
        title = meta.get("title", "")
        if not title:
            m = re.search(r"^# +(.+?)\s*#*\s*$", body, re.M)
            title = m.group(1) if m else ""
        self.title = render(title)
        self.description = render(meta.get("description", "") or
                                  meta.get("summary", ""))
        self.body = body
        self.lines = body.split("\n")
        self.kb = []
        for m in re.finditer(r"Original KB number:_?\s*(?:&nbsp;|\s)*"
                             r"([0-9][0-9, ]*)", body):
            self.kb += [x for x in re.split(r"[ ,]+", m.group(1)) if x]


class Corpus:
    """All documents, and one long normalised text to find exact strings in
    (each document's title and body, separated by NUL)."""

    def __init__(self, root):
        self.docs = []
        for rel in walk(root):
            with open(os.path.join(root, rel), encoding="utf-8",
                      errors="replace") as f:
                self.docs.append(Doc(rel, f.read()))
        parts, self.starts, pos = [], [], 0
        for d in self.docs:
            t = norm(d.title) + " \n " + norm(d.body)
            self.starts.append(pos)
            parts.append(t)
            pos += len(t) + 1
        self.text = "\0".join(parts)
        self.by_path = {d.path: d for d in self.docs}
        self.by_title = {}
        for d in self.docs:
            self.by_title.setdefault(norm(d.title), []).append(d.path)
        self.vocab = set(re.findall(r"[a-z]+", self.text))

    def containing(self, needle, limit=MAX_RELEVANT):
        """Paths of the documents whose normalised text contains needle
        (normalised) with no letter or digit glued to either end; None when
        more than limit documents do."""
        n = norm(needle)
        if not n:
            return None
        found, pos = [], 0
        while True:
            i = self.text.find(n, pos)
            if i < 0:
                break
            pos = i + 1
            before = self.text[i - 1] if i else " "
            j = i + len(n)
            after = self.text[j] if j < len(self.text) else " "
            if (n[0].isalnum() and before.isalnum()) or \
               (n[-1].isalnum() and after.isalnum()):
                continue
            k = bisect.bisect_right(self.starts, i) - 1
            p = self.docs[k].path
            if p not in found:
                found.append(p)
                if len(found) > limit:
                    return None
        return found or None

    def matching(self, regex, limit=MAX_RELEVANT):
        """Paths of the documents whose normalised text matches regex."""
        found = []
        for m in re.finditer(regex, self.text):
            k = bisect.bisect_right(self.starts, m.start()) - 1
            p = self.docs[k].path
            if p not in found:
                found.append(p)
                if len(found) > limit:
                    return None
        return found or None

    def title_key(self, path):
        return norm(self.by_path[path].title)

    def same_title(self, doc):
        return self.by_title.get(norm(doc.title), [doc.path])


# ------------------------------------------------------------ word lists

STOP = set("""a an the is are was were be been being am to of in on at for
with by from as into onto about than then that this these those there here it
its it's not no nor or and but if so such can cannot can't could couldn't
would wouldn't should shouldn't will won't may might must shall do does did
doesn't don't didn't isn't aren't wasn't weren't has have had hasn't haven't
hadn't without you your we our they
their them he she his her i me my mine which who whom whose what when where
why how all any each every some more most other same own only very too also
just again once while until because before after above below over under up
down out off through during between both few further
""".split())

# Common words of support text: in a fragment they count like stop words.
COMMON = set("""error errors failed fail fails failure operation completed
complete found find file files access denied specified unable enough free
space found valid invalid available unavailable request process server
service user users account system computer name data value values current
following occurred occur occurs problem issue try again later make sure
check connection connect connected network local remote default required
exist exists existing allowed permission permissions object one two new
type path set get use used using open opened start started run running
""".split())

PRODUCT_WORDS = set("""excel outlook windows teams sharepoint onedrive exchange
office powerpoint skype azure server printer access project visio intune
dynamics mailbox calendar email defender explorer network domain cluster
sql database backup update browser edge chrome gmail facebook google twitter
github youtube password account""".split())

ERROR_HINT_RE = re.compile(
    r"\b(error|fail|failed|fails|failure|cannot|can't|could not|couldn't|"
    r"unable|denied|invalid|exception|unexpected|timed out|timeout|"
    r"refused|unavailable|incorrect|missing|isn't|doesn't|wasn't|"
    r"not (?:be|been|found|available|valid|allowed|supported|exist|present|"
    r"authorized|complete|completed|responding|recognized|started))\b",
    re.I)

PRONOUNS = [(r"\byou're\b", "i'm"), (r"\byou've\b", "i've"),
            (r"\byou are\b", "i am"), (r"\byou were\b", "i was"),
            (r"\byourself\b", "myself"), (r"\byour\b", "my"),
            (r"\b(to|allows?|prompts?|asks?|for|with|lets?|tells?|helps?|"
             r"from|shows?|gives?|requires?|forces?|notifies|warns?) you\b",
             r"\1 me"),
            (r"\byou\b", "i")]


def pronouns(s):
    for a, b in PRONOUNS:
        s = re.sub(a, b, s, flags=re.I)
    return s


def trim(ws):
    """Drop stop words left dangling at the end of a cut query."""
    ws = list(ws)
    while ws and (ws[-1] in STOP or ws[-1] in ("i", "me", "my", "that's",
                                                "it's", "due", "using")):
        ws.pop()
    return ws


def words(s):
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9'+#.-]*[A-Za-z0-9+#]|"
                      r"[A-Za-z0-9]", s)


def simple(s):
    """Lower-case, parentheticals and quotes removed, punctuation that users
    do not type dropped."""
    s = re.sub(r"\([^)]*\)", " ", s)
    s = s.replace('"', " ").replace("\u201c", " ").replace("\u201d", " ")
    s = s.replace("\u2019", "'")
    s = re.sub(r"[:;,!?]", " ", s)
    s = re.sub(r"\.(\s|$)", r"\1", s)
    return " ".join(s.lower().split())


# ------------------------------------------------------------ sections

def sections(doc):
    """(heading, line_index, line, in_fence, in_quote) for every body line."""
    heading, fence = "", None
    for i, line in enumerate(doc.lines):
        st = line.strip()
        fm = re.match(r"^\s*(```+|~~~+)", line)
        if fm:
            if fence is None:
                fence = fm.group(1)[0] * 3
            elif st.startswith(fence):
                fence = None
            continue
        if fence is None and re.match(r"^#{1,6}\s", line):
            heading = st.lstrip("#").strip().lower()
            continue
        yield heading, i, line, fence is not None, \
            fence is None and st.startswith(">")


def quoted_errors(doc):
    """Error messages quoted in a Symptoms section: blockquote lines or lines
    of a code block, 6-40 words, with a word that says something failed."""
    out = []
    for heading, _, line, in_fence, in_quote in sections(doc):
        if "symptom" not in heading or not (in_fence or in_quote):
            continue
        if re.match(r"^\s*>\s*\[!", line):
            continue
        r = render(line)
        if "](" in line or "http" in r.lower() or "|" in r:
            continue
        w = r.split()
        if not (6 <= len(w) <= 30):
            continue
        if re.match(r"^[\d\[(<-]", r) or "~*~" in r:
            continue        # a log line with a time stamp: see code_line
        if sum(1 for x in w if re.fullmatch(r"[A-Za-z'.,:;!?-]+", x)) < 5:
            continue
        if not ERROR_HINT_RE.search(r):
            continue
        out.append(r)
    return out


# ------------------------------------------------------------ the classes

def pick(cands, n, key, group=None):
    """n candidates in hash order, at most one per source document (or per
    group(path): one per title for the classes derived from titles)."""
    seen, out = set(), []
    for c in sorted(cands, key=lambda c: h(key, c[0], c[1])):
        g = group(c[0]) if group else c[0]
        if g in seen:
            continue
        seen.add(g)
        out.append(c)
        if len(out) == n:
            break
    return out


def derive_error_message(corpus, n):
    cands = []
    for d in corpus.docs:
        for e in quoted_errors(d):
            cands.append((d.path, e))
    out = []
    for path, e in sorted(cands, key=lambda c: h("err", c[0], c[1])):
        if any(o[1] == e for o in out) or any(o[0] == path for o in out):
            continue
        rel = corpus.containing(e)
        if not rel:
            continue
        out.append((path, e, rel))
        if len(out) == n:
            break
    return [("error_message", e, rel) for _, e, rel in out]


def fragment_of(corpus, msg):
    """The first 5-, 6- or 4-word window of msg (words of letters only) whose
    words are mostly stop words or common words, not all of them, and that
    at most MAX_RELEVANT documents contain."""
    toks = msg.split()
    for size in (5, 6, 4):
        for s in range(0, len(toks) - size + 1):
            win = toks[s:s + size]
            clean = [re.sub(r"^[\"'(]+|[\"'),.:;!?]+$", "", t) for t in win]
            if not all(re.fullmatch(r"[A-Za-z][A-Za-z'-]*", t)
                       for t in clean):
                continue
            # interior punctuation would not be in a copied fragment's middle
            if any(re.search(r"[.:;!?]$", t) for t in win[:-1]):
                continue
            low = [t.lower() for t in clean]
            common = sum(1 for t in low if t in STOP or t in COMMON)
            if common * 2 < size or common == size:
                continue
            frag = " ".join(clean)
            rel = corpus.containing(frag)
            if rel:
                return frag, rel
    return None


def derive_fragment(corpus, n):
    cands = [(d.path, e) for d in corpus.docs for e in quoted_errors(d)]
    out = []
    for path, e in sorted(cands, key=lambda c: h("frag", c[0], c[1])):
        if any(o[0] == path for o in out):
            continue
        f = fragment_of(corpus, e)
        if not f or any(o[1] == f[0].lower() for o in out):
            continue
        out.append((path, f[0].lower(), f[1]))
        if len(out) == n:
            break
    return [("fragment", q, rel) for _, q, rel in out]


CODE_KINDS = [
    # kind, regex over the normalised text, query form, share of the class
    ("hex", r"\b0x[0-9a-f]{8}\b", lambda m: m.group(0), 0.40),
    ("event", r"\bevent id:?\s*(\d{3,5})\b",
     lambda m: f"Event ID {m.group(1)}", 0.17),
    ("errnum", r"\b(error|exit code|error code)\s*:?\s*(\d{3,5})\b",
     lambda m: f"{m.group(1)} {m.group(2)}", 0.17),
    ("aadsts", r"\baadsts\d{4,6}\b", lambda m: m.group(0).upper(), 0.13),
    ("http", r"\bhttp error (\d{3}(?:\.\d{1,2})?)\b",
     lambda m: f"HTTP Error {m.group(1)}", 0.13),
]


def code_regex(kind, q):
    """The regex of the documents relevant to an error-code query."""
    ql = q.lower()
    if kind == "hex" or kind == "aadsts":
        return r"\b" + re.escape(ql) + r"\b"
    if kind == "event":
        return r"\bevent id:?\s*" + ql.split()[-1] + r"\b"
    if kind == "errnum":
        return (r"\b(?:error|exit code|error code|return code)\s*:?\s*" +
                ql.split()[-1] + r"\b")
    return r"\bhttp error " + re.escape(ql.split()[-1]) + r"(?![.\d])"


def derive_error_code(corpus, n):
    out = []
    for kind, rx, form, share in CODE_KINDS:
        want = round(n * share)
        cands = {}
        for k, d in enumerate(corpus.docs):
            start = corpus.starts[k]
            end = corpus.starts[k + 1] - 1 if k + 1 < len(corpus.docs) \
                else len(corpus.text)
            for m in re.finditer(rx, corpus.text[start:end]):
                cands.setdefault(form(m), d.path)
        got = 0
        for q in sorted(cands, key=lambda q: h("code", kind, q)):
            if kind == "hex":       # as the articles write them
                q = "0x" + q[2:].upper() if h("case", q) % 2 else q
            rel = corpus.matching(code_regex(kind, q), limit=5)
            if not rel or any(o[1].lower() == q.lower() for o in out):
                continue
            out.append(("error_code", q, rel))
            got += 1
            if got == want:
                break
    return out


def derive_kb(corpus, n):
    by_kb = {}
    for d in corpus.docs:
        for kb in d.kb:
            by_kb.setdefault(kb, []).append(d.path)
    out = []
    for i, kb in enumerate(sorted(by_kb, key=lambda k: h("kb", k))[:n]):
        form = ["KB" + kb, "KB " + kb, kb][i % 3]
        out.append(("kb_number", form, by_kb[kb]))
    return out


SYMPTOM_SKIP_RE = re.compile(
    r"^(?:consider the following|for example|note|this (?:article|issue|"
    r"problem)|the following|in this scenario|assume|symptoms?\b)", re.I)


SYMPTOM_VERB_RE = re.compile(
    r"\b(?:fail\w*|error\w*|can't|cannot|unable|doesn't|don't|isn't|aren't|"
    r"won't|didn't|not|crash\w*|hang\w*|stops?|stopped|slow\w*|missing|"
    r"incorrect\w*|delay\w*|no longer|disappear\w*|freez\w*|prompt\w*|"
    r"blank|lost|unexpected\w*|timeout|times out|wrong)\b", re.I)


def symptom_of(doc):
    """The first sentence of the Symptoms section that states a symptom (6-30
    words with a word that says something goes wrong; not an introduction
    to a quote, nothing "following"), in the first person, articles
    dropped, cut to 14 words."""
    para, paras = [], []
    for heading, _, line, in_fence, in_quote in sections(doc):
        if "symptom" not in heading:
            if paras or para:
                break
            continue
        st = line.strip()
        if in_fence or in_quote or not st or st.startswith(("|", "<", ":::",
                                                              "[!", "!")):
            if para:
                paras.append(" ".join(para))
                para = []
            continue
        para.append(re.sub(r"^(?:[-*+]|\d+\.)\s+", "", st))
    if para:
        paras.append(" ".join(para))
    for p in paras[:3]:
        for sent in re.split(r"(?<=[a-z0-9)\]])[.!?](?:\s+|$)", render(p)):
            sent = sent.strip()
            if not sent or sent.endswith(":") or SYMPTOM_SKIP_RE.match(sent):
                continue
            if "](" in sent or "http" in sent or "following" in sent or \
                    not SYMPTOM_VERB_RE.search(sent) or \
                    re.match(r"^[\w ]{1,12}:", sent):
                continue        # not a symptom, or a log line "Status: ..."
            n_words = len(sent.split())
            if not 6 <= n_words <= 30:
                continue
            s = pronouns(simple(sent))
            s = re.sub(r"^(?:when this (?:issue|problem) occurs|"
                       r"in this situation|additionally|also|however)\s+", "",
                       s)
            w = [x for x in s.split() if x not in ("a", "an", "the")]
            w = trim(w[:14])
            if len(w) >= 5:
                return " ".join(w)
            return None
    return None


def derive_symptom(corpus, n):
    cands = []
    for d in corpus.docs:
        s = symptom_of(d)
        if s and simple(s) != simple(d.title):
            cands.append((d.path, s))
    out = []
    for path, s in pick(cands, n, "sym", corpus.title_key):
        out.append(("symptom", s, corpus.same_title(corpus.by_path[path])))
    return out


AUX = {"doesn't": "does", "does not": "does", "don't": "do", "do not": "do",
       "isn't": "is", "is not": "is", "won't": "will", "will not": "will",
       "aren't": "are", "are not": "are", "can't": "can", "cannot": "can"}
FAIL_VERBS = {"fails": "fail", "crashes": "crash", "hangs": "hang",
              "freezes": "freeze", "stops responding": "stop responding",
              "stops working": "stop working", "is slow": "be slow",
              "runs slowly": "run slowly", "doesn't start": "not start"}


def question_of(title, seed):
    t = simple(title)
    t = re.sub(r"^(?:how to)\s+", "how do i ", t)
    m = re.match(r"^(?:can't|cannot|can not|unable to|couldn't)\s+(.+)$", t)
    if t.startswith("how do i "):
        q = pronouns(t)
    elif m:
        q = "why cant i " + pronouns(m.group(1))
    elif re.match(r"^troubleshoot(?:ing)?\s+(.+)$", t):
        q = "how do i fix " + pronouns(re.sub(r"^troubleshoot(?:ing)?\s+",
                                              "", t))
    else:
        q = None
        for aux in sorted(AUX, key=len, reverse=True):
            m = re.match(r"^(.+?)\s+" + re.escape(aux) + r"\s+(.+)$", t)
            if m and len(m.group(1).split()) <= 4:
                q = (f"why {AUX[aux]}nt {pronouns(m.group(1))} "
                     f"{pronouns(m.group(2))}")
                break
        if q is None:
            for verb in sorted(FAIL_VERBS, key=len, reverse=True):
                m = re.match(r"^(.+?)\s+" + re.escape(verb) + r"\b\s*(.*)$", t)
                if m and len(m.group(1).split()) <= 4:
                    q = (f"why does {pronouns(m.group(1))} "
                         f"{FAIL_VERBS[verb]} {pronouns(m.group(2))}").strip()
                    break
    if q is None:
        return None
    q = q.replace("cannt", "cant").replace("willnt", "wont").replace(
        "cant", "can't" if seed % 3 == 0 else "cant")
    w = q.split()
    if len(w) > 10:         # drop the trailing qualifier
        for cut in (" in ", " on ", " for ", " with ", " after ", " when "):
            i = q.find(cut, len("why does x "))
            if 0 < i and len(q[:i].split()) >= 4:
                q = q[:i]
                break
        q = " ".join(q.split()[:10])
    w = trim(q.split())
    if len(w) < 5 and w[:3] == ["how", "do", "i"] or len(w) < 4:
        return None
    return " ".join(w)


def derive_question(corpus, n):
    cands = []
    for d in corpus.docs:
        q = question_of(d.title, h("qseed", d.path))
        if q:
            cands.append((d.path, q))
    out = []
    for path, q in pick(cands, n, "question", corpus.title_key):
        doc = corpus.by_path[path]
        out.append(("question", q, corpus.same_title(doc)))
    return out


GENERIC = set("""error errors issue issues problem problems fix fixes
troubleshoot troubleshooting information overview description article
message messages occurs occur when""".split())


def content_words(title):
    t = simple(title)
    return [w for w in words(t)
            if w not in STOP and w not in GENERIC and not w.isdigit()
            and len(w) > 1]


def keyword_of(title, seed):
    cw = list(dict.fromkeys(content_words(title)))
    if len(cw) < 2:
        return None
    if len(cw) > 3:         # a window of three consecutive content words
        i = seed % (len(cw) - 2)
        cw = cw[i:i + 3]
    if (seed >> 16) % 3 == 0:   # a word-order change for one in three
        cw = cw[1:] + cw[:1]
    return " ".join(cw)


def derive_keyword(corpus, n):
    cands = []
    for d in corpus.docs:
        q = keyword_of(d.title, h("kseed", d.path))
        if q:
            cands.append((d.path, q))
    out = []
    for path, q in pick(cands, n, "keyword", corpus.title_key):
        doc = corpus.by_path[path]
        out.append(("keyword", q, corpus.same_title(doc)))
    return out


def typo(word, seed):
    """One of three fixed edits, inside the word: delete a letter, swap two
    neighbours, or double a letter."""
    op = seed % 3
    i = 1 + (seed >> 4) % (len(word) - 2)       # never the first letter
    if op == 0:
        return word[:i] + word[i + 1:]
    if op == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:] \
            if word[i] != word[i + 1] else word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def misspelling_of(corpus, title, seed):
    t = simple(title)
    w = [x for x in words(t) if x not in ("a", "an", "the")]
    w = trim(pronouns(" ".join(w)).split()[:6])
    if len(w) < 3:
        return None
    alpha = [i for i, x in enumerate(w) if re.fullmatch(r"[a-z]{5,}", x)
             and x not in STOP]
    if not alpha:
        return None
    prod = [i for i in alpha if w[i] in PRODUCT_WORDS]
    i = prod[0] if prod else max(alpha, key=lambda k: (len(w[k]), -k))
    bad = typo(w[i], seed)
    if bad in corpus.vocab or bad == w[i]:
        return None
    w[i] = bad
    return " ".join(w)


def derive_misspelling(corpus, n, used):
    cands = []
    for d in corpus.docs:
        if d.path in used:      # not the same article as a keyword query
            continue
        q = misspelling_of(corpus, d.title, h("tseed", d.path))
        if q:
            cands.append((d.path, q))
    out = []
    for path, q in pick(cands, n, "typo", corpus.title_key):
        doc = corpus.by_path[path]
        out.append(("misspelling", q, corpus.same_title(doc)))
    return out


LINE_KINDS = [
    # kind, test, share of the class
    ("powershell", lambda s: s.lstrip().startswith("+ ") or
     re.search(r"\b(?:CategoryInfo|FullyQualifiedErrorId)\b", s) or
     re.match(r"^\s*PS [A-Z]:\\", s), 0.15),
    ("path", lambda s: re.search(r"\b[A-Za-z]:\\", s) or "\\\\" in s, 0.17),
    ("url", lambda s: re.search(r"https?://", s), 0.13),
    ("guid", lambda s: re.search(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
                                 r"[0-9a-fA-F]{4}-", s), 0.10),
    ("braces", lambda s: re.search(r"[{}\[\]]", s), 0.15),
    ("assign", lambda s: "=" in s, 0.15),
    ("quote", lambda s: s.count('"') % 2 == 1 or
     (s.count("'") % 2 == 1 and not re.search(r"[a-z]'[a-z]", s)), 0.10),
    ("other", lambda s: re.search(r"[:;<>|$()\\/+]", s), 0.05),
]


def code_lines(doc):
    for _, _, line, in_fence, in_quote in sections(doc):
        if not (in_fence or in_quote):
            continue
        s = line.strip() if in_fence else render(line)
        if not (20 <= len(s) <= 200):
            continue
        if len(re.findall(r"[A-Za-z]{2,}", s)) < 3:
            continue
        if in_quote and not re.search(r"[\\/={}\[\]\"+$]", s):
            continue        # a log line, not a sentence
        if re.match(r"^(?:'|//|#|--|/\*|\*|rem\s|::)", s, re.I):
            continue        # a comment: not what people paste
        yield s


def derive_code_line(corpus, n):
    by_kind = {k: [] for k, _, _ in LINE_KINDS}
    for d in corpus.docs:
        for s in code_lines(d):
            for kind, test, _ in LINE_KINDS:
                if test(s):
                    by_kind[kind].append((d.path, s))
                    break
    out, used = [], set()
    for kind, _, share in LINE_KINDS:
        want, got = round(n * share), 0
        for path, s in sorted(by_kind[kind],
                              key=lambda c: h("line", c[0], c[1])):
            if path in used or any(o[1] == s for o in out):
                continue
            rel = corpus.containing(s, limit=5)
            if not rel:
                continue
            used.add(path)
            out.append(("code_line", s, rel))
            got += 1
            if got == want:
                break
    return out


def event_blocks(doc):
    """Event Viewer entries quoted in an article: from a `Log Name:` line
    through the lines after it (blockquote, lazy continuation or code
    block) up to a blank line, a heading or the end of the block, with an
    `Event ID:` line among them.  Joined with blanks, as a search box
    joins pasted lines."""
    lines, i = doc.lines, 0
    while i < len(lines):
        if not re.match(r"^\s*>?\s*Log Name:", lines[i]):
            i += 1
            continue
        block, j = [], i
        while j < len(lines):
            st = lines[j].strip()
            if not st or st.startswith(("#", "```", "~~~")):
                break
            r = render(lines[j])
            if r:
                block.append(r)
            j += 1
        i = j
        text = " ".join(" ".join(block).split())
        if re.search(r"\bEvent ID:", text):
            yield text


def derive_event_log(corpus, n):
    cands = [(d.path, b) for d in corpus.docs for b in event_blocks(d)]
    out = []
    for path, b in pick(cands, 10 * n, "event"):
        q = " ".join(b.split()[:60])         # a long paste, cut to 60 words
        rel = corpus.containing(q)
        if rel:
            out.append(("event_log", q, rel))
        if len(out) == n:
            break
    return out


# ------------------------------------------------------------ main

def tsv_safe(q):
    return "\t" not in q and "\n" not in q and q.strip() == q and q


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--out", default=os.path.join(HERE, "judgments.tsv"))
    ap.add_argument("--per-class", type=int, default=PER_CLASS)
    args = ap.parse_args()

    corpus = Corpus(args.corpus)
    n = args.per_class
    rows = []
    rows += derive_error_message(corpus, n)
    rows += derive_fragment(corpus, n)
    rows += derive_error_code(corpus, n)
    rows += derive_kb(corpus, n)
    rows += derive_symptom(corpus, n)
    rows += derive_question(corpus, n)
    kw = derive_keyword(corpus, n)
    rows += kw
    rows += derive_misspelling(corpus, n,
                               {p for _, _, rel in kw for p in rel})
    # twice the others: the issue measured this class on 420 such lines
    rows += derive_code_line(corpus, 2 * n)
    rows += derive_event_log(corpus, n // 2)

    kept, seen = [], set()
    hit = {(cls, q) for cls, q, _ in rows} & set(REVIEW_DROP)
    for key in sorted(set(REVIEW_DROP) - hit):
        print(f"derive: review drop not generated (stale): {key}",
              file=sys.stderr)
    for cls, q, rel in rows:
        if (cls, q) in REVIEW_DROP or not tsv_safe(q) or (cls, q) in seen:
            continue
        seen.add((cls, q))
        kept.append((cls, q, rel))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("class\tquery\trelevant_paths\n")
        for cls, q, rel in kept:
            f.write(f"{cls}\t{q}\t{','.join(rel)}\n")
    counts = {c: sum(1 for r in kept if r[0] == c) for c in CLASSES}
    print(f"derive: {len(kept)} queries from {len(corpus.docs)} documents "
          f"-> {args.out}: " +
          ", ".join(f"{c} {k}" for c, k in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
