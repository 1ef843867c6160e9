# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make run   - create .venv, install, play the bundled dreams
#   make test  - create .venv, install with dev tools, lint and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/dreamviz play $(ARGS)

test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(BIN)/.installed
	$(BIN)/dreamviz bench --size 1920x1080

clean:
	rm -rf $(VENV) build *.egg-info
