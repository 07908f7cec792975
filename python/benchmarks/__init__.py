"""Benchmarks: this SDK against the raw-httpx floor and the official SDK (`make bench`).

`python -m benchmarks --help` lists the options; README.md says how to read the table.
This package imports nothing but the standard library at import time: its client
processes run under other interpreters (the official SDK's venv) as well.
"""
