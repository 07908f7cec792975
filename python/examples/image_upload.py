"""Images: upload a PNG, look at its metadata and thumbnail, and show it to an agent.

The PNG is made in memory (a 2x2 image, no Pillow needed); a path or an open binary
file works the same: `client.images.upload("photo.jpg")`.

    python -m everruns_sdk.testing run examples/image_upload.py
"""

import asyncio
import struct
import zlib

from everruns_sdk import Everruns
from everruns_sdk.types import OutputMessageCompletedEvent


def tiny_png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (255, 140, 0)) -> bytes:
    """A valid PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def main() -> None:
    async with Everruns() as client:
        image = await client.images.upload(tiny_png(), filename="orange.png")
        print(f"uploaded {image.id}: {image.filename}, {image.content_type}, {image.size_bytes} B")

        info = await client.images.get(image.id)
        print(f"metadata: {info.filename} created {info.created_at}")
        thumbnail = await client.images.thumbnail(image.id)
        kind = "JPEG" if thumbnail.startswith(b"\xff\xd8") else "not a JPEG"
        print(f"thumbnail: {len(thumbnail)} bytes, {kind}")

        session = await client.sessions.create(title="Image upload")
        await client.messages.create(
            session.id,
            [
                {"type": "text", "text": "What colour is this image?"},
                {"type": "image_file", "image_id": image.id},
            ],
        )
        async for event in client.events.stream(session.id):
            if isinstance(event, OutputMessageCompletedEvent):
                parts = event.data.message.content
                print("agent:", " ".join(p.text for p in parts if getattr(p, "text", None)))
            if event.type in ("turn.completed", "turn.failed"):
                break


asyncio.run(main())
