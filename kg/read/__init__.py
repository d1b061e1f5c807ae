"""Readers: PFOCR files in, typed records (kg.records) out.

Know nothing of RDF; never raise past `read_record` — failures become Problems.
"""
