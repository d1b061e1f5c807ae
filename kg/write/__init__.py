"""Writers: one module per output, each an OutputWriter (kg.write.output) writing atomically
(temp file, then a journalled rename with the others); the graph formats are listed in
kg.write.formats. Also the atomic files, the commit and the OUTDIR lock.

Never look at the source records: they receive triples and report data only.
"""
