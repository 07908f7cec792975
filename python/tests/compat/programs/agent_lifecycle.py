"""0.3.x style: agent versions, health checks, import/export, analyze, apply."""

import asyncio
import os

from everruns_sdk import Everruns, InitialFile, generate_agent_id, validate_agent_name

DOC = """---
name: imported-helper
display_name: Imported helper
---

You help people who import agents.
"""


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    agents = client.agents
    agent = await agents.create("versioned", "Version one.")
    first = await agents.create_version(agent.id, summary="first", change_kind="manual")
    await agents.update(agent.id, system_prompt="Version two.")
    second = await agents.create_version(agent.id, summary="second")
    print(f"versions: {len(await agents.list_versions(agent.id))}")
    diff = await agents.diff_versions(agent.id, first.id, second.id)
    print(f"diff {type(diff).__name__}")
    await agents.set_default_version(agent.id, first.id)
    restored = await agents.rollback_version(agent.id, first.id, summary="back to one")
    print(f"rolled back: {restored.system_prompt}")
    fork = await agents.fork_version(agent.id, second.id, name="versioned-fork")
    print(f"fork {fork.name}: {fork.system_prompt}")

    run = await agents.trigger_health_check(agent.id)
    again = await agents.get_health_check(agent.id, run.id)
    checks = await agents.list_health_checks(agent.id)
    print(f"health check {again.id == run.id} {len(checks)}")

    imported = await agents.import_agent(DOC)
    example = await agents.import_example("hello-world")
    print(f"imported {imported.name} and {example.name}")
    analysis = await agents.analyze("You read files.", mcp_servers={})
    print(f"analysis {type(analysis).__name__}")

    agent_id = generate_agent_id()
    applied = await agents.apply(
        agent_id,
        "applied-agent",
        "Applied.",
        initial_files=[InitialFile(path="/hello.txt", content="hi")],
        parallel_tool_calls=True,
    )
    print(f"applied {applied.id == agent_id} {applied.parallel_tool_calls}")
    same = await agents.apply_by_name(validate_agent_name("applied-agent"), "Applied again.")
    print(f"apply_by_name kept the id: {same.id == agent_id}")
    try:
        validate_agent_name("Not A Slug")
    except ValueError as exc:
        print(f"invalid name: {type(exc).__name__}")
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
