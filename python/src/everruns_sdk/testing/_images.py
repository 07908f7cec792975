"""Image helpers without Pillow: format sniffing, dimensions, and a tiny JPEG.

The thumbnail of every image is the same 8x8 mid-grey baseline JPEG, built
here byte by byte: one 8x8 block whose only coefficient (DC) is zero, coded with
one-symbol Huffman tables (DC category 0, AC end-of-block).
"""

from __future__ import annotations

import struct

__all__ = ["THUMBNAIL_JPEG", "dimensions", "sniff_type"]


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def _tiny_jpeg() -> bytes:
    jfif = b"JFIF\x00" + bytes([1, 1, 0]) + struct.pack(">HH", 1, 1) + bytes([0, 0])
    dqt = bytes([0]) + bytes([1] * 64)
    sof0 = bytes([8]) + struct.pack(">HH", 8, 8) + bytes([1, 1, 0x11, 0])
    one_code = bytes([1] + [0] * 15) + bytes([0])  # one code of length 1, symbol 0
    dht_dc = bytes([0x00]) + one_code
    dht_ac = bytes([0x10]) + one_code
    sos = bytes([1, 1, 0x00, 0, 63, 0])
    scan = bytes([0b0011_1111])  # DC "0" + EOB "0", padded with ones
    return (
        b"\xff\xd8"
        + _segment(0xE0, jfif)
        + _segment(0xDB, dqt)
        + _segment(0xC0, sof0)
        + _segment(0xC4, dht_dc)
        + _segment(0xC4, dht_ac)
        + _segment(0xDA, sos)
        + scan
        + b"\xff\xd9"
    )


THUMBNAIL_JPEG = _tiny_jpeg()


def sniff_type(data: bytes) -> str | None:
    """The image media type of ``data`` by its magic bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG image, or None."""
    kind = sniff_type(data)
    if kind == "image/png" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if kind == "image/gif" and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if kind == "image/jpeg":
        return _jpeg_size(data)
    return None
