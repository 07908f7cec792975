"""0.3.x style: a workspace and its files: create, copy, move, read, grep, delete."""

import asyncio
import os

from everruns_sdk import Everruns


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    workspace = await client.workspaces.create("scratch", description="Scratch space")
    files = client.workspace_files
    await files.create_dir(workspace.id, "/drafts")
    await files.create(workspace.id, "/drafts/plan.md", "Step 1: plan\nStep 2: act\n")
    await files.copy_file(workspace.id, "/drafts/plan.md", "/drafts/plan-copy.md")
    moved = await files.move_file(workspace.id, "/drafts/plan-copy.md", "/final.md")
    print(f"moved to {moved.path}")
    final = await files.read(workspace.id, "/final.md")
    print(f"read {final.path}: {final.content.splitlines()[1]}")
    await files.update(workspace.id, "/final.md", "Done.\n")
    print(f"updated: {(await files.read(workspace.id, '/final.md')).content.strip()}")
    for result in await files.grep(workspace.id, "Step"):
        print(f"grep {result.path}")
    print(f"stat {(await files.stat(workspace.id, '/drafts')).is_directory}")
    await files.delete(workspace.id, "/drafts", recursive=True)
    print(f"left: {[entry.path for entry in await files.list(workspace.id)]}")
    names = [w.name for w in await client.workspaces.list()]
    print(f"workspaces: {names}")
    await client.workspaces.delete(workspace.id)
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
