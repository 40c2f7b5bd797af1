# The commands README.md names. Each target sets up .venv first when it is missing or stale.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COURSE ?= build/course
SUBMITTED ?=
# Worker processes of `make grade`: JOBS=N, or the N of `make grade -j N`.
JOBS ?= $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS)))
PYTEST_ARGS ?=

TARGETS := course test lab release grade clean

.PHONY: $(TARGETS) help
.DEFAULT_GOAL := help

help:
	@echo "make course   run the instructor pipeline on the bundled notebooks and example submissions"
	@echo "make test     run the test suite (what CI runs)"
	@echo "make lab      open JupyterLab on the student release"
	@echo "make release  build the student release into $(COURSE)/release"
	@echo "make grade    grade $(COURSE)/submitted/<student>/<assignment>/ (or SUBMITTED=DIR) into $(COURSE)/grades.csv; JOBS=N or -j N grades N at once"
	@echo "make clean    remove build/ (generated output; keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "make: coursekit needs Python 3.10 or newer, found " + sys.version.split()[0] + "; run make PYTHON=python3.11 (or another 3.10+ interpreter)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

course: $(STAMP)
	$(BIN)/coursekit course

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

release: $(STAMP)
	$(BIN)/coursekit release --course $(COURSE)

grade: $(STAMP)
	$(BIN)/coursekit grade --course $(COURSE) $(if $(SUBMITTED),--submitted $(SUBMITTED)) $(if $(JOBS),--jobs $(JOBS))

lab: release
	$(BIN)/jupyter lab --notebook-dir=$(COURSE)/release

clean:
	rm -rf build

# Makefile itself needs no rule; without this line the .DEFAULT rule below would claim it.
Makefile: ;

.DEFAULT:
	@echo "make: unknown target '$@'; use one of: $(TARGETS)" >&2; exit 2
