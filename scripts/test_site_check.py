"""Each check of site_check.py passes on a sound site and fails on one that breaks it.

A small site is written to a temporary folder in the shape mkdocs-material gives (pages as
``name/index.html``, tabbed sets, ``search/search_index.json``), then broken one way at a
time. ``make test-docs`` runs this after checking the real site.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_check

CONFIG = """\
nav:
  - Home: index.md
  - Guides:
      - Streaming: streaming.md
      - Migrating: migrating.md
  - API reference:
      - Rust: reference/rust.md
"""


def _tabs(*tabs: tuple[str, str]) -> str:
    labels = "".join(f"<label for='t{n}'>{label}</label>" for n, (label, _) in enumerate(tabs))
    blocks = "".join(
        f"<div class='tabbed-block'><pre><code>{code}</code></pre></div>" for _, code in tabs
    )
    return (
        "<div class='tabbed-set tabbed-alternate' data-tabs='1:3'>"
        + "".join(f"<input id='t{n}' type='radio'>" for n in range(len(tabs)))
        + f"<div class='tabbed-labels'>{labels}</div><div class='tabbed-content'>{blocks}</div>"
        "</div>"
    )


GOOD_TABS = _tabs(("Python", "print(1)"), ("TypeScript", "console.log(1);"), ("Rust", "main()"))


def _site(tmp_path: Path, **override: str) -> tuple[Path, Path]:
    pages = {
        "index.html": f"<h1 id='home'>Home</h1><a href='streaming/#resume'>x</a>{GOOD_TABS}",
        "streaming/index.html": f"<h2 id='resume'></h2><a href='../index.html'>h</a>{GOOD_TABS}",
        "migrating/index.html": "<p>Python only.</p><a href='../api/rust/src/a.rs.html#2-3'>s</a>",
        "reference/rust/index.html": "<a href='../../api/rust/index.html'>ref</a>",
        "api/rust/index.html": "<a href='https://docs.rs/'>out</a>",
        "api/rust/src/a.rs.html": "<a id='1'>1</a><a id='2'>2</a><a id='3'>3</a>",
    }
    pages.update(override)
    site = tmp_path / "site"
    for rel, html in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(f"<html><body>{html}</body></html>", encoding="utf-8")
    (site / "search").mkdir()
    index = {"docs": [{"location": "streaming/", "title": "Streaming", "text": "the event stream"}]}
    (site / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    return site, config


def test_a_sound_site_passes(tmp_path: Path) -> None:
    site, config = _site(tmp_path)
    assert site_check.check_site(site, config) == {"nav": [], "links": [], "tabs": [], "search": []}
    assert site_check.tabbed_guides(config) == ["index.md", "streaming.md"]


def test_a_nav_page_not_built_fails(tmp_path: Path) -> None:
    site, config = _site(tmp_path)
    (site / "migrating" / "index.html").unlink()
    assert site_check.check_nav(site, config) == [
        "nav page migrating.md was not built (migrating/index.html missing)"
    ]


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("nowhere/", "points at a missing file"),
        ("streaming/#no-such-heading", "no id 'no-such-heading'"),
        ("api/rust/src/a.rs.html#2-9", "no id '2-9'"),
        ("../../outside.html", "leaves the site"),
    ],
)
def test_a_broken_link_or_anchor_fails(tmp_path: Path, link: str, problem: str) -> None:
    site, _ = _site(tmp_path, **{"index.html": f"<a href='{link}'>x</a>{GOOD_TABS}"})
    problems = site_check.check_links(site)
    assert len(problems) == 1 and problem in problems[0], problems


def test_external_links_and_plain_fragments_are_not_followed(tmp_path: Path) -> None:
    html = "<a href='https://example.com/x#y'>x</a><a href='#home'>h</a><h1 id='home'></h1>"
    site, _ = _site(tmp_path, **{"index.html": html + GOOD_TABS})
    assert site_check.check_links(site) == []


@pytest.mark.parametrize(
    ("tabs", "problem"),
    [
        (_tabs(("Python", "x"), ("Rust", "y")), "has labels ['Python', 'Rust']"),
        (_tabs(("Python", "x"), ("TypeScript", " "), ("Rust", "y")), "'TypeScript' tab holds no"),
    ],
)
def test_a_tab_set_without_three_languages_of_code_fails(
    tmp_path: Path, tabs: str, problem: str
) -> None:
    site, config = _site(tmp_path, **{"streaming/index.html": f"<h2 id='resume'></h2>{tabs}"})
    problems = site_check.check_tabs(site, site_check.tabbed_guides(config))
    assert len(problems) == 1 and problem in problems[0], problems


def test_guides_without_any_tabs_fail(tmp_path: Path) -> None:
    site, config = _site(
        tmp_path, **{"index.html": "<p>no tabs</p>", "streaming/index.html": "<h2 id='resume'/>"}
    )
    assert site_check.check_tabs(site, site_check.tabbed_guides(config)) == [
        "no guide has language tabs"
    ]


def test_a_search_index_without_the_term_fails(tmp_path: Path) -> None:
    site, _ = _site(tmp_path)
    assert site_check.check_search(site) == []
    (site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    assert site_check.check_search(site) == ["the search index does not find 'stream'"]
    (site / "search" / "search_index.json").unlink()
    assert site_check.check_search(site) == ["search/search_index.json is missing"]


def test_main_exits_1_on_a_failing_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site, config = _site(tmp_path)
    assert site_check.main([str(site), "--config", str(config)]) == 0
    (site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    assert site_check.main([str(site), "--config", str(config)]) == 1
    assert "FAIL" in capsys.readouterr().out
