"""An in-memory file tree: the filesystem of a workspace or a memory.

Paths are absolute, ``/``-separated, normalised (``/a/b.txt``). Parent
directories are created implicitly. Content is kept as given: text (encoding
``utf-8``) or base64 (encoding ``base64``). Callers hold the store lock.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import re
import uuid
from dataclasses import dataclass, field

from ._clock import now_iso
from ._problems import ApiError, bad_request, conflict

__all__ = ["FileTree", "Node", "normalize_path"]

_TEXT_ENCODINGS = {"utf-8", "utf8", "text", "plain"}


def normalize_path(path: str) -> str:
    """``a//b/`` -> ``/a/b``; ``.``/``..`` segments are a 400."""
    parts = [p for p in path.split("/") if p != ""]
    for part in parts:
        if part in (".", ".."):
            raise bad_request(f"path: '{path}' must not contain '.' or '..' segments")
    return "/" + "/".join(parts)


def _parent(path: str) -> str:
    head = path.rsplit("/", 1)[0]
    return head or "/"


def _encoding(value: str | None) -> str:
    if value is None:
        return "utf-8"
    low = value.lower()
    if low in _TEXT_ENCODINGS:
        return "utf-8"
    if low == "base64":
        return "base64"
    raise bad_request(f"encoding: unsupported encoding '{value}' (use 'utf-8' or 'base64')")


@dataclass
class Node:
    path: str
    is_directory: bool
    content: str = ""
    encoding: str = "utf-8"
    is_readonly: bool = False
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: str = field(default_factory=now_iso)
    updated_at: str = ""

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def raw(self) -> bytes:
        if self.is_directory:
            return b""
        if self.encoding == "base64":
            return base64.b64decode(self.content)
        return self.content.encode("utf-8")

    @property
    def size_bytes(self) -> int:
        return len(self.raw())

    @property
    def content_hash(self) -> str | None:
        if self.is_directory:
            return None
        return "sha256:" + hashlib.sha256(self.raw()).hexdigest()

    def text(self) -> str | None:
        """The content as text, or None when it is not valid UTF-8."""
        try:
            return self.raw().decode("utf-8")
        except UnicodeDecodeError:
            return None


class FileTree:
    """Files and directories of one workspace or memory."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}

    def get(self, path: str) -> Node | None:
        return self.nodes.get(normalize_path(path))

    def require(self, path: str) -> Node:
        node = self.get(path)
        if node is None:
            raise ApiError(404, "file_not_found", f"Path {normalize_path(path)} not found.")
        return node

    def is_dir(self, path: str) -> bool:
        path = normalize_path(path)
        return path == "/" or (path in self.nodes and self.nodes[path].is_directory)

    def children(self, path: str, *, recursive: bool = False) -> list[Node]:
        path = normalize_path(path)
        prefix = "/" if path == "/" else path + "/"
        out = []
        for p, node in self.nodes.items():
            if not p.startswith(prefix) or p == path:
                continue
            if recursive or "/" not in p[len(prefix) :]:
                out.append(node)
        return sorted(out, key=lambda n: (not n.is_directory, n.path))

    def _ensure_parents(self, path: str) -> None:
        parent = _parent(path)
        chain = []
        while parent != "/":
            chain.append(parent)
            parent = _parent(parent)
        for p in reversed(chain):
            existing = self.nodes.get(p)
            if existing is None:
                self.nodes[p] = Node(path=p, is_directory=True)
            elif not existing.is_directory:
                raise bad_request(f"path: parent {p} is a file, not a directory")

    def _check_content(self, content: str, encoding: str) -> None:
        if encoding == "base64":
            try:
                base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise bad_request("content: invalid base64") from exc

    def create(
        self,
        path: str,
        *,
        content: str | None = None,
        encoding: str | None = None,
        is_directory: bool = False,
        is_readonly: bool = False,
        overwrite: bool = False,
    ) -> Node:
        path = normalize_path(path)
        if path == "/":
            raise bad_request("path: the root directory cannot be created")
        old = self.nodes.get(path)
        if old is not None and not overwrite:
            raise conflict(f"Path {path} already exists.", code="already_exists")
        enc = _encoding(encoding)
        self._check_content(content or "", enc)
        self._ensure_parents(path)
        node = Node(
            path=path,
            is_directory=is_directory,
            content="" if is_directory else (content or ""),
            encoding=enc,
            is_readonly=is_readonly,
        )
        if old is not None:
            node.id, node.created_at = old.id, old.created_at
        self.nodes[path] = node
        return node

    def update(
        self,
        path: str,
        *,
        content: str | None = None,
        encoding: str | None = None,
        is_readonly: bool | None = None,
    ) -> Node:
        node = self.require(path)
        if node.is_directory:
            raise bad_request(f"path: {node.path} is a directory")
        if node.is_readonly and content is not None:
            raise ApiError(403, "readonly", f"Path {node.path} is read-only.")
        if content is not None:
            enc = _encoding(encoding) if encoding is not None else node.encoding
            self._check_content(content, enc)
            node.content, node.encoding = content, enc
        if is_readonly is not None:
            node.is_readonly = is_readonly
        node.updated_at = now_iso()
        return node

    def delete(self, path: str, *, recursive: bool = False, not_empty_status: int = 409) -> bool:
        path = normalize_path(path)
        if path == "/":
            raise bad_request("path: the root directory cannot be deleted")
        node = self.nodes.get(path)
        if node is None:
            return False
        if node.is_readonly:
            raise ApiError(403, "readonly", f"Path {path} is read-only.")
        kids = self.children(path, recursive=True)
        if kids and not recursive:
            raise ApiError(
                not_empty_status, "directory_not_empty", f"Directory {path} is not empty."
            )
        for kid in kids:
            del self.nodes[kid.path]
        del self.nodes[path]
        return True

    def move(self, src: str, dst: str) -> Node:
        node = self.require(src)
        dst = normalize_path(dst)
        if dst in self.nodes:
            raise conflict(f"Destination {dst} already exists.", code="already_exists")
        if dst == node.path or dst.startswith(node.path + "/"):
            raise bad_request("dst_path: cannot move a path into itself")
        self._ensure_parents(dst)
        old = node.path
        moved = [node, *self.children(old, recursive=True)]
        for item in moved:
            del self.nodes[item.path]
        for item in moved:
            item.path = dst + item.path[len(old) :]
            item.updated_at = now_iso()
            self.nodes[item.path] = item
        return node

    def copy(self, src: str, dst: str) -> Node:
        node = self.require(src)
        if node.is_directory:
            raise bad_request("src_path: directories cannot be copied")
        if normalize_path(dst) in self.nodes:
            raise conflict(f"Destination {normalize_path(dst)} already exists.", "already_exists")
        return self.create(dst, content=node.content, encoding=node.encoding)

    def grep(
        self, pattern: str, path_pattern: str | None = None
    ) -> list[tuple[Node, list[tuple[int, str]]]]:
        try:
            regex = re.compile(pattern)
        except re.error as exc:
            raise bad_request(f"pattern: invalid regex: {exc}", code="invalid_pattern") from exc
        results = []
        for node in sorted(self.nodes.values(), key=lambda n: n.path):
            if node.is_directory:
                continue
            if path_pattern and not _path_matches(node.path, path_pattern):
                continue
            text = node.text()
            if text is None:
                continue
            hits = [(i, line) for i, line in enumerate(text.splitlines(), 1) if regex.search(line)]
            if hits:
                results.append((node, hits))
        return results


def _path_matches(path: str, pattern: str) -> bool:
    rel = path.lstrip("/")
    pat = pattern.lstrip("/")
    return fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], pat)
