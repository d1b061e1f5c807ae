"""pfocr-kg: PFOCR pathway-figure records → a validated RDF knowledge graph.

Nothing in this package fetches from the network.
"""

__version__ = "0.2.0"
