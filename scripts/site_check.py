"""Checks the built documentation site (``make docs`` -> ``site/``); ``make test-docs`` runs it.

    python/.venv/bin/python scripts/site_check.py [SITE] [--config mkdocs.yml]

Four checks, each a list of problems (empty: it passes):

* every page of the nav was built;
* every internal link (``href``/``src``) resolves to a file of the site, and every
  ``#fragment`` to an ``id`` (or ``name``) on the page it points at, in the guides and in
  the TypeDoc and rustdoc trees under ``api/``;
* every tabbed set in a guide has the three languages as labels, and each tab holds a
  non-empty code block;
* the search index (``search/search_index.json``) finds ``stream``.

It exits 1 and lists the problems when any check fails. scripts/test_site_check.py shows
that each check fails on a site that breaks it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LANGUAGES = ("Python", "TypeScript", "Rust")
# rustdoc source pages take line ranges (`#112-195`), resolved by their script from line ids.
LINE_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")
# Links that rustdoc copies from other crates' docs into ours, in blanket implementations
# (tracing's `WithSubscriber`, futures' `TryStreamExt`): written for their crate's docs.
FOREIGN_DOC_LINKS = {"dispatcher#setting-the-default-subscriber", "futures_core::stream::Stream"}
SEARCH_TERM = "stream"


@dataclass
class Tab:
    label: str = ""
    code: str = ""


@dataclass
class Page:
    """What the checks need of one HTML file: its links, ids and tabbed sets."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    tabsets: list[list[Tab]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._depth = 0
        self._sets: list[tuple[int, list[Tab], list[str]]] = []  # depth, tabs, labels
        self._label: list[str] | None = None
        self._block_depth: int | None = None
        self._code_depth: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in _VOID:
            self._depth += 1
        for key in ("href", "src"):
            if a.get(key):
                self.page.links.append(a[key])
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(a[key])
        classes = a.get("class", "").split()
        if "tabbed-set" in classes:
            self._sets.append((self._depth, [], []))
        elif self._sets and tag == "label" and self._label is None:
            self._label = []
        elif self._sets and "tabbed-block" in classes:
            self._sets[-1][1].append(Tab())
            self._block_depth = self._depth
        elif self._block_depth is not None and tag == "code":
            self._code_depth = self._depth

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "label" and self._label is not None and self._sets:
            self._sets[-1][2].append("".join(self._label).strip())
            self._label = None
        if self._code_depth == self._depth:
            self._code_depth = None
        if self._block_depth == self._depth:
            self._block_depth = None
        if self._sets and self._sets[-1][0] == self._depth:
            _, tabs, labels = self._sets.pop()
            for tab, label in zip(tabs, labels, strict=False):
                tab.label = label
            self.page.tabsets.append(tabs)
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label.append(data)
        if self._code_depth is not None and self._sets and self._sets[-1][1]:
            self._sets[-1][1][-1].code += data


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}  # fmt: skip


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8", errors="replace"))
    return reader.page


def nav_pages(config: Path) -> list[str]:
    """The ``.md`` files the nav of mkdocs.yml names (read as text: no YAML tags needed)."""
    return nav_pages_from(config.read_text(encoding="utf-8"))


def built_path(page: str) -> str:
    """Where mkdocs (``use_directory_urls``) writes a page: ``a/b.md`` -> ``a/b/index.html``."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def check_nav(site: Path, config: Path) -> list[str]:
    pages = nav_pages(config)
    problems = [] if pages else [f"{config}: no pages found in the nav"]
    for page in pages:
        if not (site / built_path(page)).is_file():
            problems.append(f"nav page {page} was not built ({built_path(page)} missing)")
    return problems


def _html_files(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def _target(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link points at; ``None`` for an external one."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def check_links(site: Path) -> list[str]:
    site = site.resolve()
    pages: dict[Path, Page] = {p.resolve(): read_page(p) for p in _html_files(site)}
    problems: list[str] = []
    for path, page in pages.items():
        rel = path.relative_to(site)
        for url in page.links:
            found = _target(site, path, url)
            if found is None or (url in FOREIGN_DOC_LINKS and "api/rust" in rel.as_posix()):
                continue
            target, fragment = found
            if site not in target.parents and target != site:
                problems.append(f"{rel}: link {url!r} leaves the site")
            elif not target.is_file():
                problems.append(f"{rel}: link {url!r} points at a missing file")
            elif fragment and target.suffix == ".html" and fragment != "top":
                ids = pages[target].ids if target in pages else read_page(target).ids
                lines = LINE_RANGE.match(fragment)
                wanted = [n for n in lines.groups() if n] if lines else [fragment]
                if not all(n in ids for n in wanted):
                    problems.append(f"{rel}: link {url!r}: no id {fragment!r} on that page")
    return problems


def check_tabs(site: Path, guides: list[str]) -> list[str]:
    """Every tabbed set of a guide: the three languages, each tab with code in it."""
    problems: list[str] = []
    tabbed_guides = 0
    for guide in guides:
        path = site / built_path(guide)
        if not path.is_file():
            continue  # check_nav reports it
        tabsets = read_page(path).tabsets
        tabbed_guides += bool(tabsets)
        for n, tabs in enumerate(tabsets, 1):
            labels = [t.label for t in tabs]
            if labels != list(LANGUAGES):
                problems.append(f"{guide}: tab set {n} has labels {labels}, not {LANGUAGES}")
            for tab in tabs:
                if not tab.code.strip():
                    problems.append(f"{guide}: tab set {n}: the {tab.label!r} tab holds no code")
    if guides and not tabbed_guides:
        problems.append("no guide has language tabs")
    return problems


def check_search(site: Path, term: str = SEARCH_TERM) -> list[str]:
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return ["search/search_index.json is missing"]
    docs = json.loads(index.read_text(encoding="utf-8")).get("docs", [])
    hits = [d for d in docs if term in (d.get("title", "") + " " + d.get("text", "")).lower()]
    return [] if hits else [f"the search index does not find {term!r}"]


def tabbed_guides(config: Path) -> list[str]:
    """The guides that show every example in the three languages (the nav's Guides)."""
    text = config.read_text(encoding="utf-8")
    single = {"migrating.md", "sync-vs-async.md", "cli.md"}  # Python-only, said at their top
    guides = re.search(r"^  - Guides:\n((?:      .*\n)+)", text, re.M)
    names = nav_pages_from(guides.group(1)) if guides else []
    return ["index.md", *[g for g in names if g not in single]]


def nav_pages_from(text: str) -> list[str]:
    """The ``.md`` paths of a nav (or a part of one), in order."""
    return re.findall(r":\s*([\w./-]+\.md)\s*$", text, re.M)


def check_site(site: Path, config: Path) -> dict[str, list[str]]:
    return {
        "nav": check_nav(site, config),
        "links": check_links(site),
        "tabs": check_tabs(site, tabbed_guides(config)),
        "search": check_search(site),
    }


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", nargs="?", default=str(root / "site"))
    parser.add_argument("--config", default=str(root / "mkdocs.yml"))
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here (run make docs)", file=sys.stderr)
        return 1
    results = check_site(site, Path(args.config))
    pages = sum(1 for _ in _html_files(site))
    for name, problems in results.items():
        print(f"{name:7} {'ok' if not problems else f'{len(problems)} problems'}")
        for problem in problems[:50]:
            print(f"  {problem}")
    failed = any(results.values())
    print(f"site check over {pages} HTML files: {'FAIL' if failed else 'PASS'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
