"""What a public website adds around the help articles, in plain Python (no MkDocs import):

- ``head``: the ``<head>`` metadata of a page: canonical URL, description, hreflang
  alternates with ``x-default``, Open Graph, JSON-LD, the Content-Security-Policy;
- ``structured``: the JSON-LD graph (``WebSite``, ``WebPage``/``FAQPage``, ``HowTo``);
- ``howto``: the procedures a page states, read from the fact registry;
- ``faq``: the questions a page answers, read from its rendered HTML;
- ``sitemap``: ``sitemap.xml`` with the same alternates as the pages;
- ``security``: the Content-Security-Policy and the ``_headers`` file (security and
  cache headers) for static hosts that read one;
- ``notfound``: the 404 page's words and the palette toggle's names in each language
  (``messages.yaml``, a phrase catalogue read by ``factengine.catalogue``);
- ``markup``: corrections to the theme's markup for the HTML checker;
- ``build``: building the site for another address than mkdocs.yml's ``site_url``.

``hooks/seo.py`` adapts this to MkDocs.
"""

from .model import PageMeta, Site, SiteError

__all__ = ["PageMeta", "Site", "SiteError"]
