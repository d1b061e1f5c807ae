"""SPARQL: the embedded pyoxigraph store, queries over it, loading into SPARQL servers."""
