"""0.3.x style: a memory and its files, through the flat `*_file` methods."""

import asyncio
import os

from everruns_sdk import Everruns


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    memory = await client.memories.create("team-facts", description="What the team knows")
    print(f"memory {memory.name}")
    await client.memories.create_dir(memory.id, "/people")
    created = await client.memories.create_file(memory.id, "/people/sam.md", "Sam likes tea.")
    print(f"created {created.path}")
    await client.memories.create_file(memory.id, "/office.md", "The office opens at 9.")
    for info in await client.memories.list_files(memory.id):
        print(f"file {info.path}")
    sam = await client.memories.read_file(memory.id, "/people/sam.md")
    print(f"read {sam.path}: {sam.content}")
    await client.memories.update_file(memory.id, "/people/sam.md", "Sam likes coffee now.")
    print(f"download: {await client.memories.download_file(memory.id, '/people/sam.md')}")
    for hit in await client.memories.grep_files(memory.id, "coffee"):
        print(f"grep {hit.path}")
    stat = await client.memories.stat_file(memory.id, "/office.md")
    print(f"stat {stat.path} {stat.size_bytes}")
    await client.memories.delete_file(memory.id, "/office.md")
    remaining = [info.path for info in await client.memories.list_files(memory.id)]
    print(f"after delete: {sorted(remaining)}")
    await client.memories.delete(memory.id)
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
