"""The live event stream: `EventStream` (`_stream.py`) over the SSE decoder (`_sse.py`)."""
