class BookError(Exception):
    """The book cannot be made; the message names the file or page at fault."""
