"""The Everruns generator: one corrected reading of the spec, a renderer per language (see codegen/generate.py)."""
