# Post-Interview Workbook — every command creates or updates its own environment (.venv).
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export VENV
RUNTIME := $(VENV)/.runtime-stamp
TESTENV := $(VENV)/.test-stamp
EXAMPLE_TODAY := $(shell cat data/example/TODAY 2>/dev/null)
RUN_DIR ?= build/run
LAB_PORT ?= 8888
APP_PORT ?= 8866

.PHONY: help env lock lab app test run notebooks example example-bundles bench lint format clean

help: ## Show the commands
	@echo "Post-Interview Workbook"
	@echo
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The environment is synced from the committed lock files (locks/), with uv when it can be had.
$(RUNTIME): locks/runtime.txt
	@$(PYTHON) tools/environment.py runtime

$(TESTENV): locks/test.txt locks/runtime.txt
	@$(PYTHON) tools/environment.py test

env: $(RUNTIME) ## Create the workbook's environment (.venv) from the lock, nothing else

lock: ## Refresh locks/ from pyproject.toml (UPGRADE=1 for the newest versions allowed)
	@$(PYTHON) tools/environment.py lock

lab: $(RUNTIME) ## Open the workbook in JupyterLab (127.0.0.1, token login) on your working notebooks
	@test -e data/applications.csv || echo "Your workspace data/ has no applications yet: open 00_start_here, or run 'make example' to start from a copy of the example."
	@set -e; paths=$$($(BIN)/python -m helpers.working); \
	root=$$(echo "$$paths" | sed -n 1p); start=$$(echo "$$paths" | sed -n 2p); \
	token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(24))'); \
	echo; echo "  Open the workbook: http://127.0.0.1:$(LAB_PORT)/lab/tree/$$start?token=$$token"; \
	echo "  (your working notebooks are in $$root/$$(dirname $$start); Ctrl+C twice stops JupyterLab)"; echo; \
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 \
		--ServerApp.root_dir="$$root" --IdentityProvider.token="$$token" \
		--ServerApp.default_url="/lab/tree/$$start" --ServerApp.log_level=WARN \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root ) \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly \
		"$$start"

app: $(RUNTIME) ## The workbook as a no-code web app (Voila on 127.0.0.1, token login): forms, no code
	$(BIN)/voila notebooks --Voila.ip=127.0.0.1 --port=$(APP_PORT) --token

test: $(TESTENV) ## Run every test: lint, unit, notebooks (papermill, nbval), browser
	$(BIN)/ruff check helpers tests benchmarks notebooks tools
	$(BIN)/ruff format --check helpers tests benchmarks notebooks tools
	$(BIN)/python -m pytest

run: $(RUNTIME) ## Run every notebook headless on a scratch copy of the example
	$(BIN)/python -m helpers.batch run --out $(RUN_DIR) --today $(EXAMPLE_TODAY)

notebooks: $(RUNTIME) ## Re-execute the committed notebooks on the example (NB=01_post_interview for one)
	$(BIN)/python -m helpers.batch refresh --today $(EXAMPLE_TODAY) $(NB)

example-bundles: $(RUNTIME) ## Remake the example's client bundles (data/example/bundles/, read by 07_caseload)
	$(BIN)/python tools/example_bundles.py

bench: $(TESTENV) ## Benchmarks: ratios against floors measured in the same run (benchmarks/results/)
	$(BIN)/python -m benchmarks.run

example: ## Start your workspace (data/) from a copy of the example; never overwrites
	@if ls data/*.csv >/dev/null 2>&1 || [ -e data/profile.yml ]; then \
		echo "data/ already holds a workspace; nothing copied."; \
	else \
		cp -r data/example/. data/ && rm -f data/TODAY && echo "Copied the example into data/."; \
	fi

lint: $(TESTENV) ## Fix what ruff can fix and format the code and notebooks
	$(BIN)/ruff check --fix helpers tests benchmarks notebooks tools
	$(BIN)/ruff format helpers tests benchmarks notebooks tools

clean: ## Remove the environment and generated files (never your data)
	rm -rf $(VENV) .tools build .pytest_cache .ruff_cache
