# Two commands do everything on a fresh machine:
#   make serve   set up, then serve the site on http://127.0.0.1:8000/
#   make test    set up, then run the whole test suite (what CI runs)
#   make test-fast   the tier a developer runs all day: no browser, one strict build
export NO_MKDOCS_2_WARNING := 1
# Python keeps compiled modules in __pycache__ (git-ignored): every mkdocs, factcheck and test
# process then starts without compiling MkDocs, WeasyPrint and the project again (8 s of make test-fast).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv/bin

.PHONY: setup serve test test-fast lint format build check bench

setup:
	@scripts/setup.sh

serve: setup
	$(VENV)/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000

# Two pytest workers (pytest-xdist): the site is built once for both; the tests that use its loopback
# host go to one, which serves it (tests/conftest.py: pytest_collection_modifyitems).
test: setup
	$(VENV)/python -m pytest -n 2 --dist loadgroup --no-loadscope-reorder

test-fast: setup
	$(VENV)/python -m pytest -n auto --dist loadgroup -m "not browser and not slow and not books"

lint: setup
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

format: setup
	$(VENV)/ruff format .

build: setup
	$(VENV)/mkdocs build --strict

check: setup
	$(VENV)/factcheck

bench: setup
	$(VENV)/python scripts/benchmark.py --articles 300
