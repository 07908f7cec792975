"""0.3.x style: harnesses (search, examples) and capabilities (guardrails, pages)."""

import asyncio
import os

from everruns_sdk import Everruns


async def main() -> None:
    client = Everruns(os.environ["EVERRUNS_API_KEY"], os.environ["EVERRUNS_API_URL"])
    harness = await client.harnesses.create(
        "research-harness", "You research.", description="For research"
    )
    print(f"harness {harness.name}")
    found = await client.harnesses.search("research")
    print(f"search: {[h.name for h in found]}")
    examples = await client.harnesses.list_examples()
    print(f"examples: {len(examples) > 0}")
    await client.harnesses.update(harness.id, system_prompt="You research carefully.")
    print(f"updated: {(await client.harnesses.get(harness.id)).system_prompt}")

    guardrails = await client.capabilities.list_guardrail_examples()
    block = next(e for e in guardrails.examples if e.name == "block-secrets")
    result = await client.capabilities.dry_run_guardrails(
        block.config, "output", "my key is evr_abcdefghijklmnop"
    )
    print(f"dry run hits: {len(result.hits)}")
    page = await client.capabilities.list_page(limit=2)
    print(f"page {len(page.data)} of {page.total}")
    ids = [c.id for c in await client.capabilities.list()]
    print(f"capabilities include current_time: {'current_time' in ids}")
    await client.harnesses.delete(harness.id)
    await client.close()


if __name__ == "__main__":
    asyncio.run(main())
