"""Agent documents: ``POST /v1/agents/import`` and ``GET /v1/agents/{id}/export``.

Import accepts Markdown with YAML front matter (the body is the system prompt),
YAML, JSON, or a bare system prompt. The YAML reader is a small hand-written
subset: block mappings and sequences, ``- key: value`` items, plain and quoted
scalars, ``|``/``>`` block scalars, and flow collections written as JSON or as
simple ``[a, b]`` lists. Export writes Markdown with front matter that this
reader (and any YAML parser) reads back.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ._problems import bad_request

__all__ = ["dump_markdown", "parse_agent_document", "parse_yaml"]

JSON = dict[str, Any]

_KEY = re.compile(
    r"""^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-\[\]{}][^:#]*?|-[^\s:][^:#]*?)\s*:(?:\s+|$)(.*)$"""
)
_INT = re.compile(r"^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$")
_PLAIN_SAFE = re.compile(r"^[A-Za-z_./@][A-Za-z0-9 _./@()+-]*$")


class _YamlError(ValueError):
    pass


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _strip_comment(text: str) -> str:
    if text.startswith(("'", '"', "[", "{")):
        return text.strip()
    return re.split(r"\s+#", text, maxsplit=1)[0].strip()


def _scalar(text: str) -> Any:
    text = _strip_comment(text)
    if text.startswith('"'):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise _YamlError(f"bad double-quoted string: {text}") from exc
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise _YamlError(f"bad single-quoted string: {text}")
        return text[1:-1].replace("''", "'")
    if text.startswith(("[", "{")):
        try:
            return json.loads(text)
        except ValueError:
            return _simple_flow(text)
    low = text.lower()
    if low in ("", "~", "null"):
        return None
    if low in ("true", "false"):
        return low == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _simple_flow(text: str) -> Any:
    inner = text[1:-1].strip()
    if not text.endswith(("]", "}")) or any(c in inner for c in "[]{}"):
        raise _YamlError(f"unsupported flow collection: {text}")
    items = [p.strip() for p in inner.split(",") if p.strip()]
    if text.startswith("["):
        return [_scalar(p) for p in items]
    out: JSON = {}
    for item in items:
        key, _, value = item.partition(":")
        out[str(_scalar(key))] = _scalar(value)
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\t", "    ").splitlines()
        self.i = 0

    def _skip(self) -> bool:
        """Skip blank and comment lines; False at the end."""
        while self.i < len(self.lines):
            stripped = self.lines[self.i].strip()
            if stripped and not stripped.startswith("#"):
                return True
            self.i += 1
        return False

    def block(self) -> Any:
        if not self._skip():
            return None
        line = self.lines[self.i]
        content = line.strip()
        if content == "-" or content.startswith("- "):
            return self.sequence(_indent(line))
        if _KEY.match(content):
            return self.mapping(_indent(line))
        self.i += 1
        return _scalar(content)

    def mapping(self, indent: int) -> JSON:
        out: JSON = {}
        while self._skip():
            line = self.lines[self.i]
            cur = _indent(line)
            content = line.strip()
            if cur < indent or (cur == indent and content.startswith("- ")):
                break
            if cur > indent:
                raise _YamlError(f"unexpected indentation at line {self.i + 1}")
            match = _KEY.match(content)
            if match is None:
                raise _YamlError(f"expected 'key: value' at line {self.i + 1}")
            key = match.group(1)
            key = str(_scalar(key)) if key[0] in "'\"" else key
            self.i += 1
            out[key] = self.value(match.group(2), cur)
        return out

    def value(self, rest: str, parent: int) -> Any:
        rest = _strip_comment(rest)
        if rest[:1] in ("|", ">") and re.fullmatch(r"[|>][-+]?", rest):
            return self.block_scalar(rest, parent)
        if rest:
            return _scalar(rest)
        if not self._skip():
            return None
        nxt = self.lines[self.i]
        ind = _indent(nxt)
        if ind > parent or (ind == parent and nxt.strip().startswith("- ")):
            return self.block()
        return None

    def block_scalar(self, style: str, parent: int) -> str:
        lines: list[str] = []
        indent: int | None = None
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip() == "":
                lines.append("")
                self.i += 1
                continue
            ind = _indent(line)
            if ind <= parent:
                break
            indent = ind if indent is None else indent
            lines.append(line[min(indent, ind) :])
            self.i += 1
        while lines and lines[-1] == "":
            lines.pop()
        if style[0] == ">":
            text = re.sub(r"(?<!\n)\n(?!\n)", " ", "\n".join(lines))
        else:
            text = "\n".join(lines)
        return text if style.endswith("-") else text + "\n"

    def sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while self._skip():
            line = self.lines[self.i]
            content = line.strip()
            if _indent(line) != indent or not (content == "-" or content.startswith("- ")):
                break
            rest = content[1:].strip()
            if not rest:
                self.i += 1
                items.append(
                    self.block() if self._skip() and _indent(self.lines[self.i]) > indent else None
                )
            elif _KEY.match(rest) and rest[0] not in "[{\"'":
                # "- key: value": a mapping whose keys sit where "key" starts.
                column = indent + (len(content) - len(rest))
                self.lines[self.i] = " " * column + rest
                items.append(self.mapping(column))
            else:
                self.i += 1
                items.append(_scalar(rest))
        return items


def parse_yaml(text: str) -> Any:
    """Parse the YAML subset described in the module docstring."""
    parser = _Parser(text)
    result = parser.block()
    if parser._skip():
        raise _YamlError(f"unexpected content at line {parser.i + 1}")
    return result


def _front_matter(text: str) -> tuple[str, str] | None:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :])
    raise bad_request("body: front matter is not closed by '---'", code="invalid_format")


def parse_agent_document(text: str) -> JSON:
    """An agent definition from an import body (the result is a create-agent body)."""
    text = text.lstrip("\ufeff").strip()
    if not text:
        raise bad_request("body: empty agent document", code="invalid_format")
    try:
        fm = _front_matter(text)
        if fm is not None:
            meta = parse_yaml(fm[0]) or {}
            if not isinstance(meta, dict):
                raise bad_request("body: front matter must be a mapping", code="invalid_format")
            doc = dict(meta)
            doc.setdefault("system_prompt", fm[1].strip())
        elif text.startswith("{"):
            try:
                doc = json.loads(text)
            except ValueError as exc:
                raise bad_request(f"body: invalid JSON: {exc}", code="invalid_format") from None
        else:
            first = next(ln.strip() for ln in text.splitlines() if ln.strip())
            parsed = parse_yaml(text) if _KEY.match(first) else None
            if isinstance(parsed, dict) and ("system_prompt" in parsed or "name" in parsed):
                doc = parsed
            else:
                doc = {"system_prompt": text}
    except _YamlError as exc:
        raise bad_request(f"body: invalid YAML: {exc}", code="invalid_format") from None
    if not isinstance(doc, dict):
        raise bad_request("body: an agent document must be a mapping", code="invalid_format")
    if "harness" in doc and "harness_name" not in doc:
        doc["harness_name"] = doc.pop("harness")
    return doc


_EXPORT_KEYS = (
    "name",
    "display_name",
    "harness_name",
    "default_model_id",
    "max_iterations",
    "parallel_tool_calls",
    "tags",
    "capabilities",
    "tools",
    "initial_files",
    "mcpServers",
    "network_access",
)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    reserved = (
        text.lower() in ("null", "true", "false", "~") or _INT.match(text) or _FLOAT.match(text)
    )
    if _PLAIN_SAFE.match(text) and not reserved and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def dump_markdown(agent: JSON, harness_name: str | None) -> str:
    """An agent as Markdown: YAML front matter, then the system prompt."""
    values = {**agent, "harness_name": harness_name}
    lines = ["---"]
    for key in _EXPORT_KEYS:
        value = values.get(key)
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            lines.append(f"{key}:")
            lines.extend(f"  - {_yaml_scalar(v)}" for v in value)
        elif isinstance(value, (list, dict)):
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {_yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + str(agent.get("system_prompt") or "") + "\n"
