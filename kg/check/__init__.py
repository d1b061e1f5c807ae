"""Checks: SHACL validation of triples against shapes/, behind one engine interface (kg.check.engine).

Never fetch from the network and never print: outcomes are values for the pipeline and the CLI.
"""
