"""Mappers: typed records in, triples (N-Triples terms) out, one module per node kind.

Pure functions: never read files, never print; a value that cannot be written becomes a warning.
"""
