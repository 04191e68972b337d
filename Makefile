# The README's two quick-start commands, and the checks CI runs.
.PHONY: serve test lint

serve:
	python3 -m pip install . && glossary serve

test:
	python3 -m pip install -e '.[test]' && python3 -m pytest

lint:
	ruff check glossary service tests bench && mypy
