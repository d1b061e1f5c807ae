"""Checks: SHACL validation of triples against shapes/, behind one engine interface (kg.check.engine).

Never fetch from the network and never print: results are values for the build and the CLI; never write (validation.ttl is kg.write.validation's).
"""
