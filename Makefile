# make chapters: every audio/X.mp3 with shownotes audio/X.txt (or .md/.html) -> output/, past any that fails (scripts/chapters-all)
# make test:     the test suite (pytest)
# make bench:    accuracy on the tuning and held-out episodes, verify against run, speed against bare faster-whisper, batch throughput (an hour or more); exit 1 on a missed target

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chapters test bench clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

chapters: $(STAMP)
	@scripts/chapters-all $(BIN)/chapters audio output

test: $(STAMP) browser
	$(BIN)/python -m pytest

browser:
	@scripts/ensure-chromium

bench: $(STAMP)
	$(BIN)/python -m bench --verify --speed --batch

clean:
	# not output/*.decisions.json: the producer's work in `chapters review`
	rm -rf $(VENV) output/*.mp3 output/*.report.* output/*.chapters.* output/*.transcript.* output/*.psc.xml output/*.srt output/*.vtt output/*.txt
