"""Rendering: evaluations → pages (Markdown with HTML blocks) and downloadable files (outputs.py).

Knows nothing of site engines: the publish stage collects what is rendered and hands it to an
adapter (the MkDocs plugin, or `generate --out` for any other static-site engine).
"""
