"""Every Apex and JavaScript block of every article parses.

Apex goes through ``@apexdevtools/apex-parser`` (the parser of the Apex Dev Tools used by
Salesforce tooling), inline SOQL/SOSL included. A block fenced ```` ```apex ```` is a whole
compilation unit (one or more classes, interfaces or enums, or one trigger); ```` ```apex members ````
is wrapped in a class and ```` ```apex statements ```` in a method before parsing (FORMAT.md). Dynamic
SOQL is parsed too when the first argument of ``Database.query``, ``queryWithBinds``,
``countQuery``, ``getQueryLocator`` (and their ``WithBinds`` forms) is a string literal, literals
joined by ``+``, or a variable last assigned such a value; a string built from other values
(a concatenated user input, a field list joined at run time) cannot be known without running
the code and is not parsed. JavaScript blocks parse as ES modules (``@babel/parser`` with
decorators, for LWC's ``@api``/``@wire``/``@track``).

All blocks go to ``tests/knowledge/parsers/parse.mjs`` in one node process per session. Node and
npm are required: without them the tests fail (Debian: ``apt-get install nodejs npm``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from plumberforce.knowledge import load_articles

PARSERS = Path(__file__).parent / "parsers"
LANGUAGES = {"apex": "apex", "javascript": "javascript", "js": "javascript"}
ARTICLES = load_articles()


def _blocks(articles) -> list[dict]:
    blocks = []
    for article in articles:
        for index, block in enumerate(article.code):
            lang = LANGUAGES.get(block.language)
            if lang:
                blocks.append(
                    {
                        "key": f"{article.id}#{index}",
                        "lang": lang,
                        "kind": block.fragment or "unit",
                        "code": block.code,
                    }
                )
    return blocks


def run_parsers(blocks: list[dict]) -> dict[str, dict]:
    """``{key: {errors, queries}}`` for ``blocks``, from one run of parse.mjs."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail(
            "node and npm are required to parse the articles' code blocks: "
            "apt-get install -y --no-install-recommends nodejs npm",
            pytrace=False,
        )
    if not (PARSERS / "node_modules" / "@apexdevtools" / "apex-parser").is_dir():
        install = subprocess.run(
            [npm, "ci", "--prefix", str(PARSERS), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=240,
        )
        if install.returncode:
            pytest.fail(f"npm ci in {PARSERS} failed:\n{install.stdout}\n{install.stderr}", pytrace=False)
    result = subprocess.run(
        [node, str(PARSERS / "parse.mjs")],
        input=json.dumps(blocks),
        capture_output=True,
        text=True,
        timeout=240,
        cwd=PARSERS,
    )
    if result.returncode:
        pytest.fail(f"parse.mjs failed:\n{result.stderr}", pytrace=False)
    return {r["key"]: r for r in json.loads(result.stdout)}


@pytest.fixture(scope="session")
def parsed() -> dict[str, dict]:
    return run_parsers(_blocks(ARTICLES))


@pytest.mark.parametrize("article", [a for a in ARTICLES if _blocks([a])], ids=lambda a: a.id)
def test_code_blocks_parse(article, parsed: dict[str, dict]) -> None:
    problems = []
    for index, block in enumerate(article.code):
        result = parsed.get(f"{article.id}#{index}")
        if result and result["errors"]:
            fence = " ".join(filter(None, [block.language, block.fragment]))
            lines = "\n    ".join(result["errors"])
            problems.append(f"{article.id} block {index} (```{fence} in ## {block.section}):\n    {lines}")
            if block.language == "apex" and not block.fragment:
                problems.append("    (not a whole class or trigger? fence it ```apex members or ```apex statements)")
    assert not problems, "\n".join(problems)


def test_the_parsers_catch_errors() -> None:
    """The harness itself: wrappers, triggers, SOQL inside Apex, dynamic SOQL and JavaScript."""
    blocks = [
        ("unit", "apex", "unit", "class A { Integer m() { return [SELECT COUNT() FROM Account]; } }\nclass B {}"),
        ("trigger", "apex", "unit", "trigger T on Account (before insert) { for (Account a : Trigger.new) {} }"),
        ("members", "apex", "members", "private Integer n;\npublic void go() { n = 1; }"),
        ("statements", "apex", "statements", "Integer n = 1;\nSystem.debug(n);"),
        ("lwc", "javascript", "", "import { api } from 'lwc';\nexport default class X { @api recordId; }"),
        ("bad-unit", "apex", "unit", "Integer n = 1;"),
        ("bad-statement", "apex", "statements", "Integer n = 1\nSystem.debug(n);"),
        ("bad-soql", "apex", "statements", "List<Account> a = [SELECT Id FROM Account WHERE Name =];"),
        ("bad-dynamic", "apex", "statements", "String q = 'SELECT Id';\nq += ' FROM A WHERE B =';\nDatabase.query(q);"),
        ("good-dynamic", "apex", "statements", "Database.queryWithBinds('SELECT Id FROM Account WHERE Name = :n', b);"),
        ("bad-js", "javascript", "", "export default class X { get a( { } }"),
    ]
    results = run_parsers([{"key": k, "lang": lang, "kind": kind, "code": code} for k, lang, kind, code in blocks])
    assert {k for k, r in results.items() if r["errors"]} == {k for k, *_ in blocks if k.startswith("bad")}
    assert results["bad-statement"]["errors"][0].startswith("2:0 ")  # lines as written, not as wrapped
    assert results["bad-dynamic"]["queries"] == 1 and "dynamic SOQL at line 3" in results["bad-dynamic"]["errors"][0]
    assert results["good-dynamic"]["queries"] == 1
