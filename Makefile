# Post-Interview Workbook — every command creates or updates its own environment (.venv).
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXAMPLE_TODAY := $(shell cat data/example/TODAY 2>/dev/null)
RUN_DIR ?= build/run
LAB_PORT ?= 8888
APP_PORT ?= 8866

.PHONY: help lab app test run notebooks example bench lint format clean

help: ## Show the commands
	@echo "Post-Interview Workbook"
	@echo
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

lab: $(STAMP) ## Open the workbook in JupyterLab (127.0.0.1, token login)
	@test -e data/applications.csv || echo "Your workspace data/ has no applications yet: open notebooks/00_start_here.ipynb, or run 'make example' to start from a copy of the example."
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
		--ServerApp.root_dir=$(CURDIR) $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) \
		notebooks/00_start_here.ipynb

app: $(STAMP) ## The workbook as a no-code web app (Voila on 127.0.0.1, token login): forms, no code
	$(BIN)/voila notebooks --Voila.ip=127.0.0.1 --port=$(APP_PORT) --token

test: $(STAMP) ## Run every test: lint, unit, notebooks (papermill, nbval), browser
	$(BIN)/ruff check helpers tests benchmarks notebooks
	$(BIN)/ruff format --check helpers tests benchmarks notebooks
	$(BIN)/python -m pytest

run: $(STAMP) ## Run every notebook headless on a scratch copy of the example
	$(BIN)/python -m helpers.batch run --out $(RUN_DIR) --today $(EXAMPLE_TODAY)

notebooks: $(STAMP) ## Re-execute the committed notebooks on the example (NB=01_post_interview for one)
	$(BIN)/python -m helpers.batch refresh --today $(EXAMPLE_TODAY) $(NB)

bench: $(STAMP) ## Benchmarks: ratios against floors measured in the same run (benchmarks/results/)
	$(BIN)/python -m benchmarks.run

example: ## Start your workspace (data/) from a copy of the example; never overwrites
	@if ls data/*.csv >/dev/null 2>&1 || [ -e data/profile.yml ]; then \
		echo "data/ already holds a workspace; nothing copied."; \
	else \
		cp -r data/example/. data/ && rm -f data/TODAY && echo "Copied the example into data/."; \
	fi

lint: $(STAMP) ## Fix what ruff can fix and format the code and notebooks
	$(BIN)/ruff check --fix helpers tests benchmarks notebooks
	$(BIN)/ruff format helpers tests benchmarks notebooks

clean: ## Remove the environment and generated files (never your data)
	rm -rf $(VENV) build .pytest_cache .ruff_cache
