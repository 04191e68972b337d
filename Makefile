# The README's two quick-start commands, and the checks CI runs.
.PHONY: serve test lint

serve:
	python3 -m pip install -c requirements.lock . && glossary serve

test:
	python3 -m pip install -c requirements.lock -e '.[test]' && python3 -m pytest

lint:
	ruff check glossary service tests bench && mypy
