"""Views of a finished build for other communities: KGX (Biolink) for Translator, GMT gene sets, releases."""
