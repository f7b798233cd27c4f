"""What happens to a built site before it is published, with no MkDocs import.

- ``finish``: the sitemap, robots.txt, _headers, the search indexes and the verifier, made
  from the built folder alone (``python -m postbuild SITE_DIR`` for any generator's output;
  ``hooks/facts.py`` calls it once at the end of ``mkdocs build``);
- ``publish``: a finished build replaces the previous site in one step.
"""
