# Two commands do everything on a fresh machine:
#   make serve   set up, then serve the site on http://127.0.0.1:8000/
#   make test    set up, then run the whole test suite
export NO_MKDOCS_2_WARNING := 1
VENV := .venv/bin

.PHONY: setup serve test build check bench

setup:
	@scripts/setup.sh

serve: setup
	$(VENV)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

test: setup
	$(VENV)/python -m pytest

build: setup
	$(VENV)/mkdocs build --strict

check: setup
	$(VENV)/factcheck

bench: setup
	$(VENV)/python scripts/benchmark.py --articles 300
