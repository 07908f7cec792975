"""The Everruns generator: one corrected reading of the spec, one renderer per language.

See codegen/generate.py.
"""
