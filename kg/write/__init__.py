"""Writers: one module per output format, each writing atomically (temp file, then rename).

Never look at the source records: they receive triples and report data only.
"""
