"""The quick start with the blocking client, `SyncEverruns`.

    export EVERRUNS_API_KEY=...            # and EVERRUNS_API_URL for another server
    python examples/sync_quickstart.py

Against the local server: `python -m everruns_sdk.testing --port 9000`, then
`export EVERRUNS_API_URL=http://127.0.0.1:9000/api EVERRUNS_API_KEY=evr_test_key`.
"""

from __future__ import annotations

from everruns_sdk import SyncEverruns


def main() -> None:
    # EVERRUNS_API_KEY (and EVERRUNS_API_URL, EVERRUNS_ORG_ID) from the environment
    with SyncEverruns() as client:
        agent = client.agents.create(name="Assistant", system_prompt="You are a helpful assistant.")
        session = client.sessions.create(agent_id=agent.id)

        # Send a message, then watch the turn as a live stream of events.
        client.messages.create(session.id, "Hello!")
        for event in client.events.stream(session.id):
            print(event.type)
            if event.type == "turn.completed":
                break

        # Or in one call: send a message and wait for the end of its turn.
        result = client.sessions.run(session.id, "What can you do?")
        print(f"[{result.status}] {result.text}")

        # Or print the answer as it is written.
        with client.sessions.stream_turn(session.id, "Tell me a story.") as turn:
            for text in turn.text_deltas():
                print(text, end="", flush=True)
            print()


if __name__ == "__main__":
    main()
