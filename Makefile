# The front door for the three Everruns SDKs. Each language's own Makefile
# (python/, typescript/, rust/) bootstraps its dependencies into the repository:
# python/.venv, typescript/node_modules, rust/target. Nothing is installed globally.
SHARED ?= $(abspath ../shared)
LANGS := python typescript rust
export SHARED

.PHONY: help test lint-tooling demo generate bench docs test-docs conformance test-conformance clean \
	$(addprefix test-,$(LANGS)) $(addprefix demo-,$(LANGS)) $(addprefix bench-,$(LANGS))

help:
	@echo "make test         every language: format check, lint, strict types, all tests"
	@echo "make test-LANG    one of: $(LANGS)"
	@echo "make lint-tooling ruff + mypy --strict over the conformance harness and scripts/"
	@echo "make demo         one local server, the seed quick start in each language"
	@echo "make demo-LANG    the quick start in one language"
	@echo "make generate     models for the three languages + the contract, from $(SHARED)/openapi"
	@echo "make conformance  the cross-language conformance suite"
	@echo "make bench        benchmarks of every SDK against its floor"
	@echo "make docs         the documentation site (three SDKs) into site/"
	@echo "make test-docs    build the site and check its pages, links, tabs and search"

test: $(addprefix test-,$(LANGS)) lint-tooling test-conformance test-docs

$(addprefix test-,$(LANGS)): test-%:
	@echo "==> $* SDK: make test"
	$(MAKE) -C $* test

demo:
	bash scripts/demo.sh $(LANGS)

$(addprefix demo-,$(LANGS)): demo-%:
	bash scripts/demo.sh $*

# The generator runs in the Python environment (ruff formats the Python output).
generate:
	$(MAKE) -C python install
	python/.venv/bin/python codegen/generate.py --shared $(SHARED)
	$(MAKE) -C python sync

# The Python outside python/ (the conformance harness and drivers, scripts/) held to the
# SDK's rules (ruff.toml extends python/pyproject.toml): ruff, ruff format, mypy --strict.
TOOLING := conformance scripts
lint-tooling:
	$(MAKE) -C python install
	python/.venv/bin/ruff check $(TOOLING)
	python/.venv/bin/ruff format --check $(TOOLING)
	python/.venv/bin/mypy --strict conformance/harness conformance/run.py conformance/tests \
		conformance/drivers/python scripts

# make test gates on the languages whose conformance driver exists (see conformance/README.md);
# make conformance alone runs all three, a missing driver being a column of failures.
CONFORMANCE_LANGUAGES ?= $(subst $(eval) ,$(comma),$(LANGS))
comma := ,
DRIVEN := $(subst $(eval) ,$(comma),$(strip $(foreach l,$(LANGS),$(if $(wildcard conformance/drivers/$(l)/run),$(l)))))

conformance:
	$(MAKE) -C python install
	python/.venv/bin/python conformance/run.py --languages $(CONFORMANCE_LANGUAGES) \
		--parity conformance/PARITY.md

# Then the harness's own tests, among them remote mode twice in a row against one server.
test-conformance:
	$(MAKE) conformance CONFORMANCE_LANGUAGES=$(DRIVEN)
	CONFORMANCE_LANGUAGES=$(DRIVEN) python/.venv/bin/python -m pytest -q -p no:cacheprovider \
		-p no:asyncio conformance/tests

bench: $(addprefix bench-,$(LANGS))

$(addprefix bench-,$(LANGS)): bench-%:
	$(MAKE) -C $* bench

# The site: the guides and the Python reference (mkdocs), then TypeDoc and rustdoc under api/.
docs:
	$(MAKE) -C python docs
	$(MAKE) -C typescript docs
	$(MAKE) -C rust doc
	rm -rf site/api && mkdir -p site/api
	cp -R typescript/docs-api site/api/typescript
	cp -R rust/target/doc site/api/rust
	printf '<!doctype html><meta http-equiv="refresh" content="0; url=everruns_sdk/index.html">\n' \
		> site/api/rust/index.html

# The built site checked (nav pages, links and anchors, language tabs, the search index),
# and the docs' TypeScript and Rust examples run (the Python ones run in the Python suite).
test-docs: docs
	python/.venv/bin/python scripts/site_check.py site
	python/.venv/bin/python scripts/docs_examples.py
	python/.venv/bin/python -m pytest -q -p no:cacheprovider -p no:asyncio scripts/test_site_check.py

clean:
	for lang in $(LANGS); do $(MAKE) -C $$lang clean; done
	rm -rf site
