"""A build's report: report.json (kg.report.summary) and report.html with its plots (kg.report.html),
whose numbers are gathered while the build writes (kg.report.graph_facts).

Never reads the records and never imports kg.publish or kg.build: the build calls in.
"""
