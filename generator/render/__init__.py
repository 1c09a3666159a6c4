"""Rendering: evaluations → pages (Markdown with HTML blocks) and downloadable files.

Knows nothing of MkDocs: mkdocs_adapter.py hands the bundle to MkDocs, cmd_generate.py writes it
to a folder for any other static-site engine.
"""
