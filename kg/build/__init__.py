"""The build: options, each record's work (worker), the worker pool, the cache, the up-to-date
check, shards and merge, the outputs written and committed, `kg clean`.

Never prints or exits (kg.cli does), and never imports kg.publish: publishing reads a finished build.
"""
