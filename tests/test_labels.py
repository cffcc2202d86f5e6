#!/usr/bin/env python3
"""Labels and free text that reach the outputs, as a property.

Each round writes a scenario (tests/data/small.cfg with its actor ids,
system labels, neighbourhood and need-domain names replaced by random
labels of what the loader accepts, and its actor names by random free
text with commas and quotes), a policy and a sweep with random free-text
names, runs run, compare, diagnose and sweep on them, and reads every CSV
file back with Python's csv module (each row as many fields as the
header, the labels where they belong) and every JSON file with its json
module (valid UTF-8, the names as written, the checksums of the files).
Then a label with a comma, a double quote, a line break, another control
character or invalid UTF-8 must be refused with FILE:LINE: SETTING.

Usage: test_labels.py PLACESIM [ROUNDS]; PLACESIM_LABEL_SEED sets the seed.
Run by ctest from the source tree.
"""
import csv
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SEED = int(os.environ.get("PLACESIM_LABEL_SEED", "20"))
SMALL = os.path.join(os.getcwd(), "tests", "data", "small.cfg")

# what a label may hold: anything printable but a comma or a double quote
PLAIN = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
         " _-.'()&/;:!?+=<>#|~@%$*^[]{}\\`")
WIDE = ["é", "ß", "ł", "Ω", "ж", "中", "日本", "ñ", "Ü", "🙂", "→", "€"]
FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def label(rng, max_bytes, extra=""):
    """A random label of 1 to max_bytes bytes of UTF-8."""
    chars = PLAIN + extra
    out = ""
    for _ in range(rng.randint(1, 24)):
        piece = rng.choice(WIDE) if rng.random() < 0.25 else rng.choice(chars)
        if len((out + piece).encode()) > max_bytes:
            break
        out += piece
    return out or "x"


def free_text(rng):
    """Free text: commas and double quotes too."""
    return label(rng, 120, extra=',,""')


def unique(rng, n, max_bytes, taken=()):
    seen = set(taken)
    out = []
    while len(out) < n:
        x = label(rng, max_bytes)
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def cfg_string(text):
    """text as a libconfig string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(args, expect=0):
    p = subprocess.run([BIN] + args, capture_output=True)
    err = p.stderr.decode("utf-8", "replace")
    if "Sanitizer" in err or "runtime error:" in err:
        fail("%s: a sanitizer report:\n%s" % (" ".join(args), err))
    if expect is not None and p.returncode != expect:
        fail("%s: exit status %d, expected %d:\n%s" % (" ".join(args), p.returncode, expect, err))
    return p.returncode, err


def make_scenario(rng, path):
    text = open(SMALL, encoding="utf-8").read()
    ids = re.findall(r'\bid = "([^"]*)"', text)
    systems = sorted(set(re.findall(r'\bsystem = "([^"]*)"', text)))
    domains = re.findall(r'\{ name = "([^"]*)"; +onset', text)
    hoods = re.findall(r'\{ name = "([^"]*)"; share', text)
    m_id = dict(zip(ids, unique(rng, len(ids), 63)))
    m_sys = dict(zip(systems, unique(rng, len(systems), 31)))
    m_dom = dict(zip(domains, unique(rng, len(domains), 31)))
    m_hood = dict(zip(hoods, unique(rng, len(hoods), 63)))
    names = {}

    def sub(pattern, mapping):
        nonlocal text
        text = re.sub(pattern, lambda m: m.group(1) + cfg_string(mapping[m.group(2)]), text)

    sub(r'(\b(?:id|from|to) = )"([^"]*)"', m_id)
    sub(r'(\bsystem = )"([^"]*)"', m_sys)
    sub(r'(\{ name = )"([^"]*)"(?=; +onset)', m_dom)
    sub(r'(\{ name = )"([^"]*)"(?=; share)', m_hood)
    sub(r'(\bneighbourhood = )"([^"]*)"', m_hood)

    def domains_array(m):
        items = re.findall(r'"([^"]*)"', m.group(1))
        return "domains = [" + ", ".join(cfg_string(m_dom[i]) for i in items) + "]"

    text = re.sub(r'domains = \[([^\]]*)\]', domains_array, text)

    def actor_name(m):
        n = free_text(rng)
        names[len(names)] = n
        return m.group(1) + cfg_string(n)

    text = re.sub(r'(; name = )"([^"]*)"', actor_name, text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return {"ids": list(m_id.values()), "systems": list(m_sys.values()),
            "domains": list(m_dom.values()), "hoods": list(m_hood.values()),
            "names": list(names.values())}


def read_csv(path):
    if not os.path.exists(path):
        fail("%s is missing" % path)
        return [], []
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows:
        fail("%s is empty" % path)
        return [], []
    for k, row in enumerate(rows[1:], 2):
        if len(row) != len(rows[0]):
            fail("%s:%d: %d fields, the header has %d" % (path, k, len(row), len(rows[0])))
    return rows[0], rows[1:]


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def check_dir(d, manifest):
    """Every CSV parses; every JSON parses and its checksums hold."""
    for path in sorted(glob.glob(os.path.join(d, "*.csv"))):
        read_csv(path)
    docs = {}
    for path in sorted(glob.glob(os.path.join(d, "*.json"))):
        try:
            docs[os.path.basename(path)] = json.loads(open(path, "rb").read().decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            fail("%s is not valid JSON: %s" % (path, e))
    doc = docs.get(manifest)
    if doc is None:
        fail("%s/%s is missing or not JSON" % (d, manifest))
        return {}
    for entry in doc.get("files", []):
        data = open(os.path.join(d, entry["name"]), "rb").read()
        if len(data) != entry["bytes"] or fnv1a64(data) != entry["fnv1a64"]:
            fail("%s/%s does not agree with %s" % (d, entry["name"], manifest))
    return doc


def one_round(rng, work):
    scen = os.path.join(work, "place.cfg")
    L = make_scenario(rng, scen)
    short = ["--reps", "2", "--set", "run.weeks=30", "--set", "run.warmup=4", "--set",
             "run.summary_weeks=[15, 30]", "--quiet"]

    out = os.path.join(work, "run")
    run(["run", scen, "--out", out] + short)
    check_dir(out, "manifest.json")
    header, _ = read_csv(os.path.join(out, "series.csv"))
    for s in L["systems"]:
        for col in ("P_A." + s, "P_I." + s, "trust_density." + s, "leadership_entropy." + s):
            if col not in header:
                fail("series.csv has no column %r" % col)
    _, rows = read_csv(os.path.join(out, "summary.csv"))
    metrics = {r[0] for r in rows}
    for s in L["systems"]:
        if "P_C." + s not in metrics:
            fail("summary.csv has no metric %r" % ("P_C." + s))

    policy = os.path.join(work, "policy.cfg")
    p_name, p_desc, p_label = free_text(rng), free_text(rng), free_text(rng)
    with open(policy, "w", encoding="utf-8") as f:
        f.write("name = %s;\ndescription = %s;\ntimeline = (\n  { at = 10; shock = "
                "\"funding_cut\"; share = 0.3; selector = \"kind=statutory\"; label = %s; }\n);\n"
                % (cfg_string(p_name), cfg_string(p_desc), cfg_string(p_label)))
    out = os.path.join(work, "compare")
    run(["compare", scen, policy, "--out", out] + short)
    doc = check_dir(out, "manifest.json")
    if [a.get("name") for a in doc.get("arms", [])] != ["baseline", p_name]:
        fail("compare's manifest names the arms %r, not %r" % (doc.get("arms"), p_name))
    _, rows = read_csv(os.path.join(out, "series.csv"))
    if {r[0] for r in rows} != {"baseline", p_name}:
        fail("compare's series.csv has arms %r" % {r[0] for r in rows})
    _, rows = read_csv(os.path.join(out, "resilience.csv"))
    if not rows or {r[1] for r in rows} != {p_label} or {r[0] for r in rows} != {p_name}:
        fail("resilience.csv: arms %r, shocks %r" % ({r[0] for r in rows}, {r[1] for r in rows}))

    out = os.path.join(work, "diagnose")
    run(["diagnose", scen, "--reps", "2", "--set", "run.weeks=12", "--set", "run.warmup=4",
         "--set", "run.summary_weeks=[12]", "--quiet", "--out", out])
    check_dir(out, "manifest.json")
    _, rows = read_csv(os.path.join(out, "profile.csv"))
    if {r[1] for r in rows if r[0] == "system"} != set(L["systems"]):
        fail("profile.csv's systems %r" % {r[1] for r in rows if r[0] == "system"})
    if {r[1] for r in rows if r[0] == "actor"} != set(L["ids"]):
        fail("profile.csv's actors %r" % {r[1] for r in rows if r[0] == "actor"})

    sweep = os.path.join(work, "sweep.cfg")
    f_name, m_name = free_text(rng), free_text(rng)
    while m_name == f_name:
        m_name = free_text(rng)
    with open(sweep, "w", encoding="utf-8") as f:
        f.write("scenario = %s;\nset = [\"run.weeks=12\", \"run.warmup=4\", \"run.summary_weeks=[12]\"];\n"
                "design = \"factorial\";\nfactorial_levels = 2;\n"
                "factors = ( { name = %s; path = \"trust.alpha\"; min = 0.1; max = 0.3; } );\n"
                "metrics = ( { metric = \"wellbeing_with_needs\"; name = %s; },\n"
                "            { metric = %s; } );\n"
                % (cfg_string(scen), cfg_string(f_name), cfg_string(m_name),
                   cfg_string("P_A." + L["systems"][0])))
    out = os.path.join(work, "sweep")
    run(["sweep", sweep, "--quiet", "--threads", "1", "--out", out])
    check_dir(out, "sweep.json")
    header, _ = read_csv(os.path.join(out, "runs.csv"))
    for col in (f_name, m_name, "P_A." + L["systems"][0]):
        if col not in header:
            fail("runs.csv has no column %r: %r" % (col, header))


def refusals(work):
    """A label that would break a CSV file is refused at its line."""
    text = open(SMALL, "rb").read()
    cases = [
        (b'system = "housing"', "actors.[0].system"),
        (b'id = "police"', "actors.[2].id"),
        (b'{ name = "Centre"', "neighbourhoods.[1].name"),
        (b'{ name = "safety"', "needs.domains.[4].name"),
    ]
    bad = [(b",", "comma"), (b'\\"', "double quote"), (b"\\n", "control character"),
           (b"\\x01", "control character"), (b"\xff", "not valid UTF-8"),
           (b"\xc3", "not valid UTF-8"), (b"\xed\xa0\x80", "not valid UTF-8")]
    path = os.path.join(work, "bad.cfg")
    for where, setting in cases:
        for piece, says in bad:
            # the bad piece goes inside the value, before its closing quote
            changed = text.replace(where, where[:-1] + b"x" + piece + b'y"', 1)
            open(path, "wb").write(changed)
            line = text[:text.index(where)].count(b"\n") + 1
            _, err = run(["validate", path], expect=2)
            first = err.split("\n")[0]
            want = "%s:%d: %s: " % (path, line, setting)
            if not first.startswith(want) or says not in first:
                fail("expected '%s... %s' first, got: %s" % (want, says, err))
    # free text (an actor's name) may have commas and quotes, not a line break
    for piece, code in [(b",", 0), (b'\\"', 0), (b"\\n", 2), (b"\xff", 2)]:
        changed = text.replace(b'name = "Police"', b'name = "Po' + piece + b'lice"', 1)
        open(path, "wb").write(changed)
        run(["validate", path], expect=code)


def main():
    rng = random.Random(SEED)
    work = tempfile.mkdtemp(prefix="placesim-labels-")
    try:
        for r in range(ROUNDS):
            d = os.path.join(work, "round%d" % r)
            os.mkdir(d)
            one_round(rng, d)
        refusals(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print("test_labels: %d failure(s) (seed %d)" % (len(FAILURES), SEED), file=sys.stderr)
        return 1
    print("test_labels: %d rounds of random labels through run, compare, diagnose and sweep, "
          "every CSV and JSON file read back; bad labels refused (seed %d)" % (ROUNDS, SEED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
