"""What happens to a built site before it is published, with no MkDocs import.

Any static-site generator's output can feed it; ``hooks/site.py`` calls it once at the
end of ``mkdocs build``.
"""
