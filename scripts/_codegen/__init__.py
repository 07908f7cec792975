"""Code generation for everruns-sdk: see scripts/generate.py."""
